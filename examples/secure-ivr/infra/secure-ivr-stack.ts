// The deployable side of the scenario: one KMS key, the Lex V2 code hook with an encrypt-only role, the
// Connect decrypt Lambda with a decrypt-only role, and (given a Connect instance and bot alias) the flow.
import { readFileSync } from 'node:fs';
import * as cdk from 'aws-cdk-lib';
import * as connect from 'aws-cdk-lib/aws-connect';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { IVR_CONTEXT } from '../src/settings.js';

/** Settings of {@link SecureIvrStack}. */
export interface SecureIvrStackProps extends cdk.StackProps {
  /** The bundled handlers (`pnpm bundle` writes `dist/lambda/lex-code-hook.js` and `operator-decrypt.js`). */
  code: lambda.Code;
  /** The Amazon Connect instance allowed to invoke the decrypt Lambda; also where the flow is created. */
  connectInstanceArn?: string;
  /** The Lex V2 bot alias whose code hook is the encrypt Lambda (the bot itself is defined elsewhere). */
  lexBotAliasArn?: string;
}

/** Context keys the encryptor may send to KMS (`binding` is set by the cached mode). */
const CONTEXT_KEYS = ['app', 'contactId', 'field', 'binding'];

/** The secure IVR capture. */
export class SecureIvrStack extends cdk.Stack {
  readonly key: kms.Key;
  readonly codeHook: lambda.Function;
  readonly decrypt: lambda.Function;

  constructor(scope: Construct, id: string, props: SecureIvrStackProps) {
    super(scope, id, props);
    const app = IVR_CONTEXT.app;

    const encryptRole = new iam.Role(this, 'EncryptRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Lex code hook: may create data keys for ivr-payments, never decrypt',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
    });
    const decryptRole = new iam.Role(this, 'DecryptRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Connect decrypt Lambda: may decrypt ivr-payments values, never encrypt',
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
    });

    this.key = new kms.Key(this, 'IvrKey', {
      description: 'Encrypts card numbers and ZIP codes captured by the IVR (envelope encryption)',
      enableKeyRotation: true,
      removalPolicy: cdk.RemovalPolicy.RETAIN,
    });
    const generate = new iam.PolicyStatement({
      sid: 'EncryptOnlyWithIvrContext',
      actions: ['kms:GenerateDataKey'],
      resources: [this.key.keyArn],
      conditions: {
        StringEquals: { 'kms:EncryptionContext:app': app },
        'ForAllValues:StringEquals': { 'kms:EncryptionContextKeys': CONTEXT_KEYS },
      },
    });
    const decrypt = new iam.PolicyStatement({
      sid: 'DecryptOnlyWithIvrContext',
      actions: ['kms:Decrypt'],
      resources: [this.key.keyArn],
      conditions: { StringEquals: { 'kms:EncryptionContext:app': app } },
    });
    encryptRole.addToPrincipalPolicy(generate);
    decryptRole.addToPrincipalPolicy(decrypt);
    // The same conditions in the key policy, and nobody but the decrypt role may decrypt — not even
    // account administrators, whose `kms:*` via the default key policy statement this Deny overrides.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCodeHookToGenerateDataKeys',
        principals: [encryptRole],
        actions: ['kms:GenerateDataKey'],
        resources: ['*'],
        conditions: generate.conditions,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowOperatorLambdaToDecrypt',
        principals: [decryptRole],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: decrypt.conditions,
      }),
    );
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'DenyDecryptToEveryoneElse',
        effect: iam.Effect.DENY,
        principals: [new iam.AnyPrincipal()],
        actions: ['kms:Decrypt'],
        resources: ['*'],
        conditions: { ArnNotEquals: { 'aws:PrincipalArn': decryptRole.roleArn } },
      }),
    );

    const common = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      code: props.code,
      memorySize: 256,
      // Connect waits at most 8 s for a Lambda; Lex waits 30 s for a code hook.
      timeout: cdk.Duration.seconds(8),
    };
    this.codeHook = new lambda.Function(this, 'LexCodeHook', {
      ...common,
      description: 'Lex V2 code hook: validates and encrypts CardNumber and ZipCode',
      handler: 'lex-code-hook.handler',
      role: encryptRole,
      environment: { KEY_ARN: this.key.keyArn },
    });
    this.decrypt = new lambda.Function(this, 'OperatorDecrypt', {
      ...common,
      description: 'Connect decrypt Lambda: answers last4 and length, never the value',
      handler: 'operator-decrypt.handler',
      role: decryptRole,
      environment: { KEY_ARN: this.key.keyArn, INSTANCE_ARN: props.connectInstanceArn ?? '' },
    });

    if (props.lexBotAliasArn) {
      this.codeHook.addPermission('LexInvoke', {
        principal: new iam.ServicePrincipal('lexv2.amazonaws.com'),
        sourceArn: props.lexBotAliasArn,
      });
    }
    if (props.connectInstanceArn) {
      this.decrypt.addPermission('ConnectInvoke', {
        principal: new iam.ServicePrincipal('connect.amazonaws.com'),
        sourceArn: props.connectInstanceArn,
        sourceAccount: this.account,
      });
      new connect.CfnIntegrationAssociation(this, 'DecryptIntegration', {
        instanceId: props.connectInstanceArn,
        integrationType: 'LAMBDA_FUNCTION',
        integrationArn: this.decrypt.functionArn,
      });
    }
    if (props.connectInstanceArn && props.lexBotAliasArn) {
      const flow = readFileSync(new URL('../src/contact-flow.json', import.meta.url), 'utf8');
      new connect.CfnContactFlow(this, 'CaptureFlow', {
        instanceArn: props.connectInstanceArn,
        name: 'Secure card capture',
        type: 'CONTACT_FLOW',
        description: 'Encrypted card and ZIP capture (secblocks secure-ivr example)',
        content: cdk.Fn.sub(flow, {
          LexBotAliasArn: props.lexBotAliasArn,
          DecryptFunctionArn: this.decrypt.functionArn,
        }),
      });
    }
  }
}
