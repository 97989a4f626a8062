/**
 * The checks Security Hub applies to each finding of a BatchImportFindings request, with the
 * shape of AWS's messages ("Finding does not adhere to Amazon Finding Format. data.Title should
 * NOT be longer than 256 characters."). A failing finding is answered in FailedFindings with
 * ErrorCode InvalidInput; the rest of the batch is imported.
 */

const TYPE_NAMESPACES = ['Software and Configuration Checks', 'TTPs', 'Effects', 'Unusual Behaviors', 'Sensitive Data Identifications'];
const SEVERITY_LABELS = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL'];
const RECORD_STATES = ['ACTIVE', 'ARCHIVED'];
const WORKFLOW_STATUSES = ['NEW', 'NOTIFIED', 'RESOLVED', 'SUPPRESSED'];
const COMPLIANCE_STATUSES = ['PASSED', 'WARNING', 'FAILED', 'NOT_AVAILABLE'];
/** RFC 3339 as Security Hub documents it (fractional seconds and offsets allowed). */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** Bytes of one finding that Security Hub accepts. */
export const MAX_FINDING_BYTES = 240 * 1024;

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

class Checker {
  readonly errors: string[] = [];

  fail(path: string, message: string): void {
    this.errors.push(`data.${path} ${message}`);
  }

  string(value: unknown, path: string, min: number, max: number, required: boolean): void {
    if (value === undefined) {
      if (required) this.errors.push(`data should have required property '${path}'`);
      return;
    }
    if (typeof value !== 'string') return this.fail(path, 'should be string');
    const length = Array.from(value).length;
    if (length < min) this.fail(path, `should NOT be shorter than ${min} characters`);
    if (length > max) this.fail(path, `should NOT be longer than ${max} characters`);
  }

  timestamp(value: unknown, path: string, required: boolean): void {
    if (value === undefined) {
      if (required) this.errors.push(`data should have required property '${path}'`);
      return;
    }
    if (typeof value !== 'string' || !TIMESTAMP.test(value) || Number.isNaN(Date.parse(value)))
      this.fail(path, 'should match format "date-time"');
  }

  oneOf(value: unknown, path: string, allowed: readonly string[]): void {
    if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value)))
      this.fail(path, 'should be equal to one of the allowed values');
  }

  array(value: unknown, path: string, min: number, max: number): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) {
      this.fail(path, 'should be array');
      return [];
    }
    if (value.length < min) this.fail(path, `should NOT have fewer than ${min} items`);
    if (value.length > max) this.fail(path, `should NOT have more than ${max} items`);
    return value;
  }
}

function checkTypes(c: Checker, types: unknown, path: string): void {
  c.array(types, path, 0, 50).forEach((type, i) => {
    const namespace = typeof type === 'string' ? type.split('/')[0] : undefined;
    if (typeof type !== 'string' || type.split('/').length > 3 || !TYPE_NAMESPACES.includes(namespace ?? ''))
      c.fail(`${path}[${i}]`, 'should be a type namespace/category/classifier with a valid namespace');
  });
}

function checkSeverity(c: Checker, finding: Json): void {
  const severity = finding.Severity;
  const provider = isObject(finding.FindingProviderFields) ? finding.FindingProviderFields.Severity : undefined;
  if (!isObject(severity) && !isObject(provider)) c.errors.push("data should have required property 'Severity'");
  if (isObject(severity)) c.oneOf(severity.Label, 'Severity.Label', SEVERITY_LABELS);
  if (isObject(provider)) c.oneOf(provider.Label, 'FindingProviderFields.Severity.Label', SEVERITY_LABELS);
}

function checkResources(c: Checker, resources: unknown): void {
  if (resources === undefined) c.errors.push("data should have required property 'Resources'");
  c.array(resources, 'Resources', 1, 32).forEach((resource, i) => {
    if (!isObject(resource)) return c.fail(`Resources[${i}]`, 'should be object');
    c.string(resource.Type, `Resources[${i}].Type`, 1, 256, true);
    c.string(resource.Id, `Resources[${i}].Id`, 1, Number.MAX_SAFE_INTEGER, true);
    c.string(resource.Region, `Resources[${i}].Region`, 1, 16, false);
  });
}

function checkProductFields(c: Checker, fields: unknown): void {
  if (fields === undefined) return;
  if (!isObject(fields)) return c.fail('ProductFields', 'should be object');
  const entries = Object.entries(fields);
  if (entries.length > 50) c.fail('ProductFields', 'should NOT have more than 50 properties');
  for (const [key, value] of entries) {
    if (Array.from(key).length > 128)
      c.fail('ProductFields', `property name '${key.slice(0, 40)}…' should NOT be longer than 128 characters`);
    c.string(value, `ProductFields['${key}']`, 0, 2048, true);
  }
}

function checkWorkflowFields(c: Checker, finding: Json): void {
  if (isObject(finding.Workflow)) c.oneOf(finding.Workflow.Status, 'Workflow.Status', WORKFLOW_STATUSES);
  if (finding.Note !== undefined) {
    if (!isObject(finding.Note)) return c.fail('Note', 'should be object');
    c.string(finding.Note.Text, 'Note.Text', 1, 512, true);
    c.string(finding.Note.UpdatedBy, 'Note.UpdatedBy', 1, 512, true);
    c.timestamp(finding.Note.UpdatedAt, 'Note.UpdatedAt', true);
  }
}

/** Every problem of one finding, in AWS's wording; empty when Security Hub would import it. */
export function validateFinding(finding: unknown): string[] {
  const c = new Checker();
  if (!isObject(finding)) return ['data should be object'];
  if (finding.SchemaVersion !== '2018-10-08') c.fail('SchemaVersion', "should be equal to constant '2018-10-08'");
  c.string(finding.Id, 'Id', 1, 512, true);
  c.string(finding.ProductArn, 'ProductArn', 12, 2048, true);
  c.string(finding.GeneratorId, 'GeneratorId', 1, 512, true);
  if (typeof finding.AwsAccountId !== 'string' || !/^\d{12}$/.test(finding.AwsAccountId))
    c.fail('AwsAccountId', 'should be a 12-digit account id');
  c.timestamp(finding.CreatedAt, 'CreatedAt', true);
  c.timestamp(finding.UpdatedAt, 'UpdatedAt', true);
  c.timestamp(finding.FirstObservedAt, 'FirstObservedAt', false);
  c.timestamp(finding.LastObservedAt, 'LastObservedAt', false);
  c.string(finding.Title, 'Title', 1, 256, true);
  c.string(finding.Description, 'Description', 1, 1024, true);
  c.string(finding.AwsAccountName, 'AwsAccountName', 1, 50, false);
  checkTypes(c, finding.Types, 'Types');
  if (isObject(finding.FindingProviderFields)) checkTypes(c, finding.FindingProviderFields.Types, 'FindingProviderFields.Types');
  checkSeverity(c, finding);
  checkResources(c, finding.Resources);
  checkProductFields(c, finding.ProductFields);
  const recommendation =
    isObject(finding.Remediation) && isObject(finding.Remediation.Recommendation) ? finding.Remediation.Recommendation : undefined;
  if (recommendation) c.string(recommendation.Text, 'Remediation.Recommendation.Text', 1, 512, false);
  if (isObject(finding.Compliance)) {
    c.oneOf(finding.Compliance.Status, 'Compliance.Status', COMPLIANCE_STATUSES);
    c.array(finding.Compliance.RelatedRequirements, 'Compliance.RelatedRequirements', 0, 32);
  }
  c.oneOf(finding.RecordState, 'RecordState', RECORD_STATES);
  checkWorkflowFields(c, finding);
  if (Buffer.byteLength(JSON.stringify(finding)) > MAX_FINDING_BYTES)
    c.errors.push(`Finding size exceeds the maximum allowed size of ${MAX_FINDING_BYTES / 1024} KB`);
  return c.errors;
}
