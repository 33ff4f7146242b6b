/** Colour by meaning. Nothing else in the grader calls chalk. */
import chalk from 'chalk';

export const ui = {
  error: (s: string) => chalk.red(s),
  warn: (s: string) => chalk.yellow(s),
  info: (s: string) => chalk.cyan(s),
  success: (s: string) => chalk.green(s),
  dim: (s: string) => chalk.dim(s),
  strong: (s: string) => chalk.bold(s),
  /** The demo's decision regions: where the model says +1, and where it says -1. */
  positive: (s: string) => chalk.bgBlue.whiteBright(s),
  negative: (s: string) => chalk.bgRed.whiteBright(s),
};

/** Whether output is coloured: not for --no-color, NO_COLOR or a pipe. */
export const colourOn = () => chalk.level > 0;

/** Turns colour off, for --no-color. */
export function noColor(): void {
  chalk.level = 0;
}

// chalk turns colour off for pipes and files, but not for NO_COLOR (https://no-color.org).
if (process.env.NO_COLOR) noColor();
