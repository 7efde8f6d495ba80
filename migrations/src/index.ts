import { Migration20261125000100WalkingSkeleton } from './Migration20261125000100_walking_skeleton.js';

/** Every migration, in order. The ORM takes this list rather than scanning folders, so a build is self-contained. */
export const migrationsList = [
  { name: 'Migration20261125000100_walking_skeleton', class: Migration20261125000100WalkingSkeleton },
];
