import type { Shape } from '@lm/api-model';
import { parseTimestamp } from '@lm/api-model';

const INTEGER_TEXT = /^-?\d+$/;
const NUMBER_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A scalar member that arrived as text (a query string, a header, a form field) as the JSON
 * value it stands for. Text that is not of the member's type stays text, so that validation
 * reports it with AWS's words. Timestamps become epoch seconds, as inside the product.
 */
export function scalarFromText(shape: Shape, text: string): unknown {
  switch (shape.type) {
    case 'integer':
    case 'long':
      return INTEGER_TEXT.test(text) ? Number(text) : text;
    case 'double':
    case 'float':
      return NUMBER_TEXT.test(text) ? Number(text) : text;
    case 'boolean':
      return text === 'true' ? true : text === 'false' ? false : text;
    case 'timestamp': {
      const date = parseTimestamp(text);
      return date ? date.getTime() / 1000 : text;
    }
    default:
      return text;
  }
}
