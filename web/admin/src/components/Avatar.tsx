/* Initials on a colour picked from the username, so the same person always looks the same. */
const HUES = [232, 262, 292, 330, 12, 28, 150, 174, 198, 212];

function hueFor(seed: string): number {
  let hash = 0;
  for (let i = 0; i < seed.length; i++) hash = (hash * 31 + seed.charCodeAt(i)) | 0;
  return HUES[Math.abs(hash) % HUES.length]!;
}

export function initials(name: string): string {
  // Only letters and digits count: "Erin <b>Wu</b>" gives "EW", not "E<".
  const words = name
    .split(/\s+/)
    .map((word) => Array.from(word).filter((char) => /[\p{L}\p{N}]/u.test(char)))
    .filter((letters) => letters.length > 0);
  const first = words[0];
  if (!first) return '?';
  // CJK names: the first two characters read best; otherwise first letters of the first two words.
  if (/\p{Script=Han}/u.test(first[0]!)) return first.slice(0, 2).join('');
  const letters = words.length > 1 ? [first[0], words[1]![0]] : first.slice(0, 2);
  return letters.join('').toUpperCase();
}

export function Avatar({ name, seed, size = 32 }: { name: string; seed: string; size?: number }) {
  return (
    <span
      className="avatar"
      aria-hidden="true"
      style={{ width: size, height: size, fontSize: Math.round(size * 0.4), ['--avatar-hue' as string]: hueFor(seed) }}
    >
      {initials(name)}
    </span>
  );
}
