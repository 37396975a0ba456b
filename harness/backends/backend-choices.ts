// The names --backend accepts, in auto's order after 'auto' itself; light to import, so a CLI can parse before loading tfjs.
export const BACKEND_CHOICES = ['auto', 'tensorflow', 'webgpu', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];
