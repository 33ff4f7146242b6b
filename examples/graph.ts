/** drawDot and renderSvg, for code that imported them from here: they live in grader/draw.ts. */
export { drawDot, renderSvg, type DotOptions } from '../grader/draw.ts';
