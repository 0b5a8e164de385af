// Accumulates a unit's lines with their origins, so notebook parsers emit text and position map together.
import * as path from 'path';
import type { LineOrigin, PythonUnit, UnitKind } from './unit';
import type { WritefileHeader } from './magics';

export class UnitBuilder {
  readonly lines: string[] = [];
  readonly origins: LineOrigin[] = [];

  constructor(
    readonly path: string,
    readonly origin: string,
    readonly kind: UnitKind,
  ) {}

  push(text: string, origin: LineOrigin): void {
    this.lines.push(text);
    this.origins.push(origin);
  }

  build(): PythonUnit {
    return {
      path: this.path,
      origin: this.origin,
      kind: this.kind,
      text: this.lines.join('\n'),
      lines: this.origins,
    };
  }
}

/**
 * The `%%writefile` units of one notebook, keyed by resolved target. A plain `%%writefile` replaces an
 * earlier cell's file (the notebook overwrites it when run top to bottom); `-a` appends to it.
 */
export class WritefileUnits {
  private readonly units = new Map<string, UnitBuilder>();

  constructor(private readonly notebook: string) {}

  /** Relative targets resolve against the notebook's folder, where the notebook runs. */
  open(header: WritefileHeader): UnitBuilder {
    const target = path.resolve(path.dirname(this.notebook), header.target);
    const existing = this.units.get(target);
    if (existing && header.append) {
      return existing;
    }
    const unit = new UnitBuilder(target, this.notebook, 'writefile');
    this.units.set(target, unit);
    return unit;
  }

  build(): PythonUnit[] {
    return [...this.units.values()].map((u) => u.build());
  }
}
