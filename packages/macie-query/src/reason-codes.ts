/**
 * Macie's `classificationDetails.result.status.reason` codes (all 21), each with a remediation hint for
 * the coverage-gap report. Source: the Macie API reference (`ClassificationResultStatus`) and the user
 * guide pages on supported storage, quotas and coverage remediation.
 */
export const STATUS_REASONS = {
  ARCHIVE_CONTAINS_UNPROCESSED_FILES:
    'Some files inside the archive are of unsupported types or could not be extracted; extract them, or accept partial coverage of the archive.',
  ARCHIVE_EXCEEDS_SIZE_LIMIT:
    'The archive is above the size quota for compressed or archive files; split it into smaller archives or store its members uncompressed.',
  ARCHIVE_NESTING_LEVEL_OVER_LIMIT:
    'The archive nests other archives deeper than Macie extracts; flatten the nesting so members are at most a few levels deep.',
  ARCHIVE_TOTAL_BYTES_EXTRACTED_OVER_LIMIT:
    'Extracting the archive produced more bytes than the quota allows; split the archive so each one expands below the limit.',
  ARCHIVE_TOTAL_DOCUMENTS_PROCESSED_OVER_LIMIT:
    'The archive holds more files than Macie processes per archive; split it into several smaller archives.',
  FILE_EXCEEDS_SIZE_LIMIT:
    'The file is above the per-file size quota for its type; split it, or export the data to a supported columnar format such as Parquet.',
  INVALID_ENCRYPTION:
    'Macie could not decrypt the object: it uses SSE-C, or a KMS key whose policy does not let Macie use it. Allow the AWSServiceRoleForAmazonMacie role to decrypt (kms:Decrypt grant or key policy statement), or re-encrypt with SSE-S3 or an allowed key.',
  INVALID_KMS_KEY:
    'The KMS key that encrypts the object is disabled, scheduled for deletion or no longer exists; re-enable the key or re-encrypt the object with an active key.',
  INVALID_OBJECT_STATE:
    'The object is in a storage class Macie cannot read directly (S3 Glacier Flexible Retrieval, Deep Archive, or an archived Intelligent-Tiering tier); restore it or exclude those storage classes from the job.',
  JSON_NESTING_LEVEL_OVER_LIMIT:
    'The JSON document nests deeper than Macie parses; reduce the nesting depth or flatten the document (for example into JSON Lines).',
  MALFORMED_FILE:
    "The file's structure does not match its type (corrupt or mislabelled); repair or re-export it, or fix the extension and Content-Type.",
  MALFORMED_OR_FILE_SIZE_EXCEEDS_LIMIT:
    'The file is malformed or above the size quota; validate it, and split files that are too large.',
  NO_SUCH_BUCKET_AVAILABLE:
    'The bucket was deleted or is no longer reachable when the job ran; remove it from the job or restore access.',
  OBJECT_VERSION_MISMATCH:
    'The object changed after the job listed it (its version or ETag differs); re-run the job, or analyze stable versions.',
  OOXML_UNCOMPRESSED_RATIO_EXCEEDS_LIMIT:
    "The Office Open XML file's compression ratio is above the limit (a zip-bomb safeguard); save it in a less compressed form or split it.",
  OOXML_UNCOMPRESSED_SIZE_EXCEEDS_LIMIT:
    'The Office Open XML file expands above the uncompressed size limit; split the workbook or document into smaller files.',
  PERMISSION_DENIED:
    "Macie's service-linked role was denied access by the bucket policy, an access point policy, an SCP or the object ACL; allow s3:GetObject for AWSServiceRoleForAmazonMacie on the bucket and objects.",
  SOURCE_OBJECT_NO_LONGER_AVAILABLE:
    'The object was deleted or moved before Macie analyzed it; no action needed unless the object should exist.',
  TIME_CUT_OFF_REACHED:
    'Macie reached its processing time limit for the file; split large or complex files, or convert them to a simpler supported format.',
  UNABLE_TO_PARSE_FILE:
    'Macie could not parse the file although its type is supported; check it for corruption or an unusual encoding, and re-export it.',
  UNSUPPORTED_FILE_TYPE_EXCEPTION:
    'Macie does not analyze this file type (for example images, audio, video or proprietary binaries); convert the data to a supported format or exclude the extension from the job.',
} as const;

/** One of the 21 status reason codes in {@link STATUS_REASONS}. */
export type StatusReasonCode = keyof typeof STATUS_REASONS;

/** Every status reason code, sorted. */
export const STATUS_REASON_CODES = Object.keys(STATUS_REASONS).sort() as StatusReasonCode[];

/** `classificationDetails.result.status.code` values. */
export const STATUS_CODES = ['COMPLETE', 'PARTIAL', 'SKIPPED'] as const;

/** `sensitiveData[].category` values, plus `CUSTOM_IDENTIFIER` for custom data identifier detections. */
export const SENSITIVE_DATA_CATEGORIES = [
  'CREDENTIALS',
  'FINANCIAL_INFORMATION',
  'PERSONAL_INFORMATION',
  'CUSTOM_IDENTIFIER',
] as const;

/** The category label this package gives to custom data identifier detections (stored apart by Macie). */
export const CUSTOM_IDENTIFIER_CATEGORY = 'CUSTOM_IDENTIFIER';

/**
 * The remediation hint for a status reason, or a generic one for an unknown code (the list grows).
 *
 * @param reason - A `status.reason` value.
 * @returns A sentence saying what to change so Macie can analyze the object.
 * @example
 * ```ts
 * remediationFor('INVALID_ENCRYPTION'); // 'Macie could not decrypt the object: …'
 * ```
 */
export function remediationFor(reason: string | null | undefined): string {
  if (reason === null || reason === undefined || reason === '')
    return 'No reason recorded; check the job history in the Macie console.';
  return (
    (STATUS_REASONS as Record<string, string>)[reason] ??
    `Unknown reason code ${reason}; see the Macie documentation for new codes.`
  );
}
