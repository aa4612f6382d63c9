// What a training step reports. Its own module, free of the engine and its .wasm, so a browser page that only reads a
// training run's manifest (the UI's Inspect) can check the fields without loading the trainer.

/** The metrics of one optimizer step, from its forward passes (before its update). */
export interface StepMetrics {
  /** 0-based index of the step. */
  step: number;
  epoch: number;
  /** Mean DPO loss -log sigmoid(margin) over the step's pairs (log 2 = 0.693 while the policy equals the base). */
  loss: number;
  /** Fraction of the step's pairs whose chosen reward is above the rejected one. */
  accuracy: number;
  /** Mean beta * (log pi(chosen) - log ref(chosen)). */
  chosenReward: number;
  rejectedReward: number;
  /** Mean chosenReward - rejectedReward. */
  rewardMargin: number;
  /** Mean sequence log-probability of the chosen responses under the policy. */
  chosenLogp: number;
  rejectedLogp: number;
  /** Global L2 norm of the gradient before clipping. */
  gradNorm: number;
  learningRate: number;
  /** Positions run forward and backward in the step. */
  tokens: number;
  pairs: number;
}

/** The order of c/train.h's TT_M_* doubles in one metrics row (`step` is the row's index, not in the row). */
export const METRIC_KEYS = [
  'loss',
  'accuracy',
  'chosenReward',
  'rejectedReward',
  'rewardMargin',
  'chosenLogp',
  'rejectedLogp',
  'gradNorm',
  'learningRate',
  'tokens',
  'pairs',
  'epoch',
] as const satisfies readonly Exclude<keyof StepMetrics, 'step'>[];

/** Every field of StepMetrics: `step` and the row's. */
export const STEP_METRIC_FIELDS = ['step', ...METRIC_KEYS] as const;
