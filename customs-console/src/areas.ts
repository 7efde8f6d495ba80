import type { Area } from './area.js';

/** Every area of the console, by name (the file name under src/areas/), in menu order. */
export const areas: Array<Area & { name: string }> = Object.entries(
  import.meta.glob<{ default: Area }>('./areas/*.ts', { eager: true }),
)
  .map(([path, module]) => ({ ...module.default, name: path.replace(/^.*\/(.+)\.ts$/, '$1') }))
  .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name));
