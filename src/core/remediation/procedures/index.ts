import type { Procedure } from '../types.js';
import { deleteInactiveAccessKey, disableUnusedCredential, finishAccessKeyRotation, removeUnusedAccessKey, replaceLostUserAccessKey, rotateAccessKey } from './access-keys.js';
import { addSecondAdministrator, enableUserMfa, establishRecoveryPath, rotateSigningCertificate } from './others.js';
import { fixPasswordExpiryLockout, resetUserPassword } from './passwords.js';
import { deleteRootAccessKey, enableRootHardwareMfa, enableRootMfa, resetRootPassword, stopUsingRoot } from './root.js';

export { LINKS } from './links.js';

/** Every built-in procedure, in catalogue order (root first, then IAM users). */
export const BUILT_IN_PROCEDURES: readonly Procedure[] = [
  deleteRootAccessKey,
  enableRootMfa,
  enableRootHardwareMfa,
  stopUsingRoot,
  resetRootPassword,
  enableUserMfa,
  resetUserPassword,
  removeUnusedAccessKey,
  disableUnusedCredential,
  finishAccessKeyRotation,
  rotateAccessKey,
  deleteInactiveAccessKey,
  replaceLostUserAccessKey,
  rotateSigningCertificate,
  establishRecoveryPath,
  addSecondAdministrator,
  fixPasswordExpiryLockout,
].map((p) => ({ ...p, source: 'built-in' }));
