// The error a deploy ends with: a UserFacingError tagged with the step it stopped at (and build logs, if any).
import { UserFacingError } from './errors';

export type DeployStep = 'log' | 'verify' | 'serve' | 'wait' | 'done';

/** A deploy failure tagged with its step; `buildLogs` is filled when Model Serving reported a failed build. */
export class DeployError extends UserFacingError {
  constructor(
    readonly step: DeployStep,
    base: UserFacingError,
    readonly buildLogs?: string,
  ) {
    super(base.kind, base.what, base.why, base.state, base.action, base.status);
  }
}
