import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

export interface MenuItem {
  id: string;
  label: string;
  icon?: ReactNode;
  danger?: boolean;
  onSelect: () => void;
  /** A choice (menuitemradio) or a toggle (menuitemcheckbox) with its state; a plain item otherwise. */
  kind?: 'radio' | 'checkbox';
  checked?: boolean;
  /** A second, smaller line under the label. */
  description?: string;
  /** Draws a line above the item (starts a new group). */
  separatorBefore?: boolean;
}

const ITEM_SELECTOR = '[role="menuitem"], [role="menuitemradio"], [role="menuitemcheckbox"]';

interface MenuProps {
  /** The trigger button's accessible name. */
  label: string;
  /** The trigger's content (an icon, an avatar…). */
  trigger: ReactNode;
  items: readonly MenuItem[];
  /** Extra content above the items (e.g. "Signed in as …", a language select). */
  header?: ReactNode;
  align?: 'start' | 'end';
  /** 'auto' opens above the trigger when there is not enough room below it. */
  placement?: 'below' | 'above' | 'auto';
  triggerClassName?: string;
  /** -1 keeps the trigger out of the Tab order (its owner opens it from the keyboard another way). */
  triggerTabIndex?: number;
  onOpenChange?: (open: boolean) => void;
  /** Extra class on the menu panel. */
  menuClassName?: string;
}

/**
 * A menu button (WAI-ARIA pattern): Enter/Space/ArrowDown open it, arrows move, Escape closes and
 * returns focus to the trigger, a click outside closes it.
 */
export function Menu({ label, trigger, items, header, align = 'end', placement = 'auto', triggerClassName = 'icon-button', triggerTabIndex, onOpenChange, menuClassName }: MenuProps) {
  const [open, setOpen] = useState(false);
  const [side, setSide] = useState<'below' | 'above'>('below');
  const rootRef = useRef<HTMLDivElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const menuId = useId();

  const setOpenState = (next: boolean): void => {
    if (next) {
      const rect = triggerRef.current?.getBoundingClientRect();
      const roomBelow = rect ? window.innerHeight - rect.bottom : Infinity;
      setSide(placement === 'auto' ? (roomBelow < 48 * items.length + 80 && (rect?.top ?? 0) > roomBelow ? 'above' : 'below') : placement);
    }
    setOpen(next);
    onOpenChange?.(next);
  };

  useEffect(() => {
    if (!open) return;
    (menuRef.current?.querySelector<HTMLElement>('[aria-checked="true"]') ?? menuRef.current?.querySelector<HTMLElement>(ITEM_SELECTOR))?.focus();
    const onPointerDown = (event: PointerEvent): void => {
      if (event.target instanceof Node && !rootRef.current?.contains(event.target)) {
        setOpen(false);
        onOpenChange?.(false);
      }
    };
    document.addEventListener('pointerdown', onPointerDown);
    return () => document.removeEventListener('pointerdown', onPointerDown);
  }, [open, onOpenChange]);

  const close = (focusTrigger: boolean): void => {
    setOpenState(false);
    if (focusTrigger) triggerRef.current?.focus();
  };

  const onMenuKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const entries = [...(menuRef.current?.querySelectorAll<HTMLElement>(ITEM_SELECTOR) ?? [])];
    const index = entries.indexOf(document.activeElement as HTMLElement);
    const focusAt = (at: number): void => entries[(at + entries.length) % entries.length]?.focus();
    const onItem = event.target instanceof HTMLElement && event.target.matches(ITEM_SELECTOR);
    if (!onItem && event.key !== 'Escape' && event.key !== 'Tab') return;
    switch (event.key) {
      case 'Escape':
        event.preventDefault();
        event.stopPropagation();
        close(true);
        break;
      case 'ArrowDown':
        event.preventDefault();
        focusAt(index + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        focusAt(index - 1);
        break;
      case 'Home':
        event.preventDefault();
        focusAt(0);
        break;
      case 'End':
        event.preventDefault();
        focusAt(entries.length - 1);
        break;
      case 'Tab':
        close(false);
        break;
      default:
    }
  };

  return (
    <div className="menu-root" ref={rootRef}>
      <button
        ref={triggerRef}
        type="button"
        className={triggerClassName}
        tabIndex={triggerTabIndex}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => setOpenState(!open)}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && !open) {
            event.preventDefault();
            setOpenState(true);
          }
        }}
      >
        {trigger}
      </button>
      {open ? (
        <div className={`menu menu-${align} menu-${side}${menuClassName ? ` ${menuClassName}` : ''}`} ref={menuRef} onKeyDown={onMenuKeyDown}>
          {header ? <div className="menu-header">{header}</div> : null}
          <div role="menu" id={menuId} aria-label={label}>
            {items.map((item) => (
              <button
                key={item.id}
                type="button"
                role={item.kind === 'radio' ? 'menuitemradio' : item.kind === 'checkbox' ? 'menuitemcheckbox' : 'menuitem'}
                aria-checked={item.kind ? Boolean(item.checked) : undefined}
                tabIndex={-1}
                className={`menu-item${item.danger ? ' menu-item-danger' : ''}${item.separatorBefore ? ' menu-item-separated' : ''}${item.checked ? ' is-checked' : ''}`}
                onClick={() => {
                  close(false);
                  item.onSelect();
                }}
              >
                {item.icon}
                {item.description ? (
                  <span className="menu-item-text">
                    <span>{item.label}</span>
                    <span className="menu-item-description">{item.description}</span>
                  </span>
                ) : (
                  <span>{item.label}</span>
                )}
                {item.kind && item.checked ? (
                  <span className="menu-item-check" aria-hidden="true">
                    ✓
                  </span>
                ) : null}
              </button>
            ))}
          </div>
        </div>
      ) : null}
    </div>
  );
}
