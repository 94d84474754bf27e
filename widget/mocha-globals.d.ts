// The widget's tests run under @web/test-runner's Mocha, which defines describe/it globally.
/// <reference types="mocha" />
