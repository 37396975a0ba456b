// Where the project lives and where the sandbox writes its bundles (inside the project, so bare imports resolve here).
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CACHE_DIR = join(PROJECT_ROOT, '.cache', 'gpt-kata');
