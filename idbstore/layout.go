package idbstore

// DatabaseVersion is the IndexedDB version of the layout this package
// writes. Each version step has a migration in the helper's migrations list
// (0 → 1 creates the "kv" object store); a later layout adds a step, never
// edits one.
const DatabaseVersion = 1

// DatabasePrefix starts the IndexedDB database name of every store: the store
// named name lives in the database DatabasePrefix+name.
const DatabasePrefix = "willow-web:"
