package orchestrator

// Shaped exposes shaped to the tests.
var Shaped = shaped
