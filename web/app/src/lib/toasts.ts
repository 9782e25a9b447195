/** Short-lived notices ("Could not …") shown at the bottom of the screen. */
export interface Toast {
  id: number;
  text: string;
  kind: 'error' | 'info';
}

type Listener = () => void;
let toasts: readonly Toast[] = [];
let nextId = 1;
const listeners = new Set<Listener>();
const TOAST_MS = 6000;

function emit(): void {
  for (const listener of listeners) listener();
}

export function dismissToast(id: number): void {
  toasts = toasts.filter((toast) => toast.id !== id);
  emit();
}

export function showToast(text: string, kind: Toast['kind'] = 'error'): void {
  const id = nextId++;
  toasts = [...toasts.slice(-2), { id, text, kind }];
  emit();
  window.setTimeout(() => dismissToast(id), TOAST_MS);
}

export const toastStore = {
  get: (): readonly Toast[] => toasts,
  subscribe(listener: Listener): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};
