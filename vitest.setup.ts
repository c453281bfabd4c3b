// Shared test setup: silence the AWS SDK's Node-version notice and make sure no test ever reaches a
// real AWS endpoint or picks up the developer's credentials by accident.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_ACCESS_KEY_ID ??= 'AKIAIOSFODNN7EXAMPLE';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test-secret-access-key';
process.env.AWS_REGION ??= 'us-east-1';
