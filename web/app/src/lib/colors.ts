const PALETTE = ['#4f46e5', '#0891b2', '#059669', '#d97706', '#dc2626', '#db2777', '#7c3aed', '#2563eb', '#65a30d', '#ea580c'];

/** A stable colour for an id (avatars). */
export function colorFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i += 1) hash = (hash * 31 + id.charCodeAt(i)) | 0;
  return PALETTE[Math.abs(hash) % PALETTE.length] ?? '#4f46e5';
}

/** One or two initials from a display name ("Ada Lovelace" → "AL", "王小明" → "王"). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const first = words[0] ?? '?';
  const second = words.length > 1 ? words.at(-1) : undefined;
  const head = (word: string): string => Array.from(word)[0] ?? '';
  return (head(first) + (second ? head(second) : '')).toUpperCase();
}
