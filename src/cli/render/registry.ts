/** Renderers keyed by --format: every command's output goes through one lookup with one error. */
import { UserError } from '../../errors.js';
import { escapeDeep } from './escape.js';

export type ColorLevel = 0 | 1 | 2 | 3;
export type Renderer<T> = (value: T, colorLevel: ColorLevel) => string;

export function renderAs<T>(renderers: Readonly<Record<string, Renderer<T>>>, format: string, value: T, colorLevel: ColorLevel): string {
  const render = renderers[format];
  if (!render) throw new UserError(`unknown format "${format}"`, `use one of: ${Object.keys(renderers).join(', ')}`);
  // Text for people: every string of the result is shown with its control characters escaped (escape.ts).
  return render(format === 'text' || format === 'github' ? escapeDeep(value) : value, colorLevel);
}
