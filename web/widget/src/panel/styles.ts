/** The panel's styles, adopted into the widget's shadow root (nothing leaks out, nothing leaks in). */
export const PANEL_CSS = `
.panel{--sb-color:#2563eb;--sb-on-color:#fff;--ink:#0f172a;--muted:#64748b;--line:#e2e8f0;--soft:#f1f5f9;
position:fixed;right:20px;bottom:92px;z-index:2147483000;width:376px;height:min(640px,calc(100vh - 116px));min-height:360px;
display:flex;flex-direction:column;overflow:hidden;background:#fff;color:var(--ink);border-radius:16px;
box-shadow:0 12px 48px rgba(15,23,42,.22),0 2px 8px rgba(15,23,42,.08);font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"PingFang SC","Microsoft YaHei",sans-serif;
animation:sb-in .18s ease-out;text-align:left;box-sizing:border-box}
.panel *,.panel *::before,.panel *::after{box-sizing:border-box}
.panel[hidden],.panel [hidden]{display:none!important}
@keyframes sb-in{from{opacity:0;transform:translateY(12px) scale(.98)}to{opacity:1;transform:none}}
@media (prefers-reduced-motion:reduce){.panel,.spinner,.dots i{animation:none!important}}
.head{display:flex;align-items:center;gap:12px;padding:14px 10px 14px 16px;background:var(--sb-color);color:var(--sb-on-color)}
.avatar{flex:none;width:40px;height:40px;border-radius:50%;display:grid;place-items:center;font-weight:700;font-size:17px;background:rgba(255,255,255,.22);color:inherit;box-shadow:inset 0 0 0 2px rgba(255,255,255,.35)}
.avatar .icon{width:22px;height:22px}
.head-text{flex:1;min-width:0}
.title{margin:0;font-size:16px;font-weight:650;line-height:1.25;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;color:inherit}
.status{margin:2px 0 0;font-size:12.5px;line-height:1.35;opacity:.92;display:flex;align-items:flex-start;gap:6px}
.status .dot{margin-top:4px}
.dot{flex:none;width:8px;height:8px;border-radius:50%;background:#94a3b8;box-shadow:0 0 0 2px rgba(255,255,255,.55)}
.dot.on{background:#22c55e}
.panel button{font-family:inherit;line-height:1.3;cursor:pointer;border:0;margin:0}
.panel :focus-visible{outline:2px solid var(--sb-color);outline-offset:2px}
.head button:focus-visible{outline-color:var(--sb-on-color)}
.icon-btn{flex:none;width:34px;height:34px;border-radius:8px;display:grid;place-items:center;background:transparent;color:inherit}
.icon-btn:hover{background:rgba(255,255,255,.18)}
.panel .icon{width:20px;height:20px;fill:none;stroke:currentColor;stroke-width:2;stroke-linecap:round;stroke-linejoin:round}
.banner{padding:8px 16px;font-size:12.5px;background:#fef9c3;color:#713f12;border-bottom:1px solid #fde68a}
.banner[data-kind=error]{background:#fee2e2;color:#7f1d1d;border-color:#fecaca}
.confirm{padding:12px 16px;background:#fff7ed;border-bottom:1px solid #fed7aa}
.confirm p{margin:0 0 8px;font-weight:600}
.row{display:flex;gap:8px;justify-content:flex-end}
.btn{padding:9px 14px;border-radius:10px;font-weight:600;font-size:14px;background:var(--soft);color:var(--ink)}
.btn.primary{background:var(--sb-color);color:var(--sb-on-color)}
.btn.primary:hover{filter:brightness(1.06)}
.btn.primary[aria-disabled=true]{opacity:.6;cursor:default}
.btn.ghost{background:#fff;box-shadow:inset 0 0 0 1px var(--line)}
.btn.ghost:hover{background:var(--soft)}
.btn.danger{background:#dc2626;color:#fff}
.btn.block{display:block;width:100%;margin-top:6px}
.body{flex:1;overflow-y:auto;overscroll-behavior:contain;background:#f8fafc;padding:16px 14px 8px}
.loading{display:flex;align-items:center;justify-content:center;gap:10px;height:100%;padding:0 24px;text-align:center;color:var(--muted)}
.spinner{flex:none;width:16px;height:16px;border-radius:50%;border:2px solid var(--line);border-top-color:var(--sb-color);animation:sb-spin .8s linear infinite}
@keyframes sb-spin{to{transform:rotate(360deg)}}
.log{list-style:none;margin:0;padding:0;display:flex;flex-direction:column}
.msg{display:flex;flex-direction:column;max-width:82%;margin-top:12px}
.msg.cont{margin-top:3px}
.msg-agent{align-self:flex-start;align-items:flex-start}
.msg-visitor{align-self:flex-end;align-items:flex-end}
.msg-system{align-self:center;max-width:90%;margin:14px 0 2px}
.msg:first-child{margin-top:0}
.name{font-size:12px;font-weight:600;color:var(--muted);margin:0 0 3px 4px}
.bubble{padding:9px 13px;border-radius:16px;white-space:pre-wrap;overflow-wrap:anywhere;word-break:break-word}
.msg-agent .bubble{background:#fff;color:var(--ink);border-bottom-left-radius:5px;box-shadow:0 1px 2px rgba(15,23,42,.08),inset 0 0 0 1px var(--line)}
.msg-visitor .bubble{background:var(--sb-color);color:var(--sb-on-color);border-bottom-right-radius:5px}
.msg-visitor .bubble a{color:inherit}
.bubble a{color:var(--sb-color);text-decoration:underline;text-underline-offset:2px}
.msg[data-status=sending] .bubble{opacity:.7}
.msg[data-status=failed] .bubble{background:#fee2e2;color:#7f1d1d}
.msg[data-status=failed] .meta{color:#b91c1c}
.meta{font-size:11px;color:#94a3b8;margin:3px 6px 0}
.meta:empty{display:none}
.sys{display:inline-block;padding:4px 12px;border-radius:999px;background:#e2e8f0;color:#475569;font-size:12px;text-align:center}
.card{background:#fff;border-radius:14px;padding:16px;margin-top:14px;box-shadow:0 1px 2px rgba(15,23,42,.06),inset 0 0 0 1px var(--line)}
.offline,.thanks{margin-top:0}
.card h3{margin:0 0 4px;font-size:16px;font-weight:650}
.card-icon{width:40px;height:40px;border-radius:12px;display:grid;place-items:center;margin-bottom:10px;background:var(--soft);color:var(--sb-color)}
.card-title{display:flex;align-items:center;gap:10px;margin-bottom:6px}.card-title .card-icon{margin:0;width:34px;height:34px;border-radius:10px}.card-title h3{margin:0}
.card-icon.ok{background:#dcfce7;color:#16a34a}
.thanks{text-align:center}.thanks .card-icon{margin:4px auto 12px}
.muted{margin:0 0 12px;color:var(--muted);font-size:13px}
.thanks p{margin:0 0 14px;color:var(--muted)}
.field{margin-bottom:12px}
.label-row{display:flex;align-items:baseline;gap:4px;margin-bottom:4px}
.label-row label{font-size:13px;font-weight:600;color:#334155}
.req{color:#dc2626;font-weight:600}.opt{font-size:12px;color:#94a3b8}
.field input,.field textarea,.field select{display:block;width:100%;padding:9px 11px;border:1px solid #cbd5e1;border-radius:10px;background:#fff;color:var(--ink);font:inherit;font-size:14px;margin:0}
.field textarea{resize:vertical;min-height:76px}
.field input:focus,.field textarea:focus,.field select:focus{outline:none;border-color:var(--sb-color);box-shadow:0 0 0 3px color-mix(in srgb,var(--sb-color) 22%,transparent)}
.field [aria-invalid=true]{border-color:#dc2626}
.field-error{margin:4px 0 0;font-size:12px;color:#b91c1c}
.field-error:empty{display:none}
.form-error{margin:0 0 8px;padding:8px 10px;border-radius:8px;background:#fee2e2;color:#7f1d1d;font-size:13px}
.queue{display:flex;align-items:center;gap:10px;padding:10px 16px;font-size:12.5px;color:#334155;background:#f1f5f9;border-top:1px solid var(--line)}
.queue strong{font-weight:650}
.typing{display:flex;align-items:center;gap:8px;padding:2px 18px 8px;font-size:12px;color:var(--muted);background:#f8fafc}
.dots{display:inline-flex;gap:3px}
.dots i{width:5px;height:5px;border-radius:50%;background:#94a3b8;animation:sb-blink 1.2s infinite}
.dots i:nth-child(2){animation-delay:.2s}.dots i:nth-child(3){animation-delay:.4s}
@keyframes sb-blink{0%,80%,100%{opacity:.3}40%{opacity:1}}
.composer{display:flex;align-items:flex-end;gap:8px;padding:10px 12px;border-top:1px solid var(--line);background:#fff}
.composer textarea{flex:1;min-height:40px;max-height:120px;resize:none;padding:9px 12px;border:1px solid #cbd5e1;border-radius:12px;font:inherit;font-size:14px;line-height:1.45;color:var(--ink);background:#fff;margin:0}
.composer textarea:focus{outline:none;border-color:var(--sb-color);box-shadow:0 0 0 3px color-mix(in srgb,var(--sb-color) 22%,transparent)}
.send{flex:none;width:40px;height:40px;border-radius:12px;display:grid;place-items:center;background:var(--sb-color);color:var(--sb-on-color)}
.send:hover{filter:brightness(1.06)}
.closed-bar{padding:12px;border-top:1px solid var(--line);background:#fff;display:flex;flex-direction:column;align-items:center;gap:8px}
.closed-bar p{margin:0;font-size:12.5px;color:var(--muted)}
.foot{padding:6px;text-align:center;font-size:11px;color:#94a3b8;background:#fff}
.vh{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}
@media (max-width:480px){.panel{inset:0;width:100%;height:100%;max-height:none;min-height:0;border-radius:0;animation:none}
.composer textarea,.field input,.field textarea,.field select{font-size:16px}}
`;
