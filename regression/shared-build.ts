/**
 * One build per case, shared by its targets (main side). Building a case's bundle includes its
 * golden result, which for a full-size ResNet-18 convolution costs more than running it on fsim
 * (conv:C2: about 0.9 s to build, 0.3 s on fsim, 0.7 s on tsim, measured here); each target's
 * worker building its own did that work twice.
 *
 * Whichever target's pool gets a thread for the case first builds the bundle, runs its target
 * and sends the bundle back; the other targets' runs receive it. A run whose thread comes free
 * while the build is still going waits for it without holding the thread (kind-pools.ts), so a
 * pool that is ahead does the builds and a pool that falls behind catches up. If the builder's
 * run ends without a bundle (build error, crash, time limit) the others build their own, as
 * every run did before.
 */
import type { ProgramBundle } from '../runtime/bundle/bundle.js';
import type { Admission } from './pools/kind-pools.js';
import type { CaseSpec } from './suites.js';
import type { CompareMode, RunTask } from './workers/tasks.js';

export class SharedBuild {
  private builder: number | undefined;
  private bundle: ProgramBundle | undefined;
  private done = false;
  private settle!: () => void;
  private readonly settled = new Promise<void>((resolve) => (this.settle = resolve));

  constructor(
    private readonly spec: CaseSpec,
    private readonly compare: CompareMode,
    private readonly share = true,
  ) {}

  /** The run of target number `position`, asked for when a thread is free for it. */
  admit(position: number): Admission {
    const task: RunTask = { kind: 'run', spec: this.spec, target: this.spec.targets[position]!, compare: this.compare };
    // A single target has no one to share with: no bundle crosses the thread boundary.
    if (this.spec.targets.length < 2 || !this.share) return { task };
    if (this.builder === undefined) {
      this.builder = position;
      return { task: { ...task, returnBundle: true } };
    }
    if (!this.done) return { after: this.settled };
    return { task: this.bundle ? { ...task, bundle: this.bundle } : task };
  }

  /** Target number `position`'s run ended; the builder's hands its bundle (if any) to the others. */
  ended(position: number, bundle: ProgramBundle | undefined): void {
    if (position !== this.builder || this.done) return;
    this.bundle = bundle;
    this.done = true;
    this.settle();
  }
}
