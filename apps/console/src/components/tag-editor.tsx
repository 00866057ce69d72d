import { ErrorMessage } from './error-message';

export interface TagRow {
  Key: string;
  Value: string;
}

/** Key/value rows, each labelled, added and removed by buttons. */
export function TagEditor({
  tags,
  onChange,
  error,
}: {
  tags: TagRow[];
  onChange(tags: TagRow[]): void;
  error?: unknown;
}) {
  const set = (index: number, change: Partial<TagRow>) =>
    onChange(tags.map((tag, i) => (i === index ? { ...tag, ...change } : tag)));
  return (
    <fieldset className="tags" aria-describedby={error ? 'tags-error' : undefined}>
      <legend>Tags</legend>
      {tags.map((tag, index) => (
        <div className="tag-row" key={index}>
          <div className="field">
            <label htmlFor={`tag-key-${index}`}>Key</label>
            <input id={`tag-key-${index}`} value={tag.Key} onChange={(e) => set(index, { Key: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor={`tag-value-${index}`}>Value</label>
            <input
              id={`tag-value-${index}`}
              value={tag.Value}
              onChange={(e) => set(index, { Value: e.target.value })}
            />
          </div>
          <button
            type="button"
            aria-label={`Remove tag ${index + 1}`}
            onClick={() => onChange(tags.filter((_, i) => i !== index))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => onChange([...tags, { Key: '', Value: '' }])}>
        Add tag
      </button>
      {error !== undefined && <ErrorMessage error={error} id="tags-error" />}
    </fieldset>
  );
}
