// The SDK warns once per process that its 2027 releases need Node 22; the tests run on Node 20 on
// purpose (the oldest supported runtime), so the warning would only bury real output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
