package store

// Unavailable exposes unavailable to the external tests.
var Unavailable = unavailable
