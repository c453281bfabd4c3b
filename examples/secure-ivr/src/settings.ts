/** The static, non-secret encryption context on every value; the KMS key policy conditions on it. */
export const IVR_CONTEXT = { app: 'ivr-payments' } as const;

/** The slots the bot collects and how each is validated. */
export const SENSITIVE_SLOTS = {
  CardNumber: { validate: 'pan' as const },
  ZipCode: { validate: 'zip' as const },
};
