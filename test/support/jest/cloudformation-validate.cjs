// What `require('@aws/cloudformation-validate')` gives inside a test file: the worker's one copy,
// with its engines, from ./environment.cjs.
module.exports = globalThis[Symbol.for('sparkify.test.cloudformation-validate')];
