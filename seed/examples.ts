// The values of LeanCore's own documentation: the ecosystem of its example, and the phone of its
// first lead there. The demo data holds both, so that the docs' requests work as written.
export const EXAMPLE_ECOSYSTEM = 'fd3705e1-3149-4c41-bfe7-cf0bee79cfad'
export const EXAMPLE_PHONE = '573136434030'
