import {
  CONDITION_LABELS,
  FILTER_TYPES,
  filterType,
  newFilterRow,
  type Condition,
  type FilterRow,
} from '../inventory/inventory-filters';

/** The inventory search's filter rows: filter name, logical operator and value, each labelled. */
export function InventoryFilterEditor({ rows, onChange }: { rows: FilterRow[]; onChange(rows: FilterRow[]): void }) {
  const set = (index: number, change: Partial<FilterRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <>
      {rows.map((row, index) => {
        const type = filterType(row.name);
        const n = index + 1;
        return (
          <div className="tag-row" key={index}>
            <div className="field">
              <label htmlFor={`filter-name-${n}`}>Filter {n}</label>
              <select
                id={`filter-name-${n}`}
                value={row.name}
                onChange={(e) => set(index, newFilterRow(e.target.value))}
              >
                {FILTER_TYPES.map((t) => (
                  <option key={t.name} value={t.name}>
                    {t.label}
                  </option>
                ))}
              </select>
            </div>
            {row.name === 'tag' && (
              <div className="field">
                <label htmlFor={`filter-tag-key-${n}`}>Tag key {n}</label>
                <input
                  id={`filter-tag-key-${n}`}
                  value={row.tagKey}
                  onChange={(e) => set(index, { tagKey: e.target.value })}
                />
              </div>
            )}
            <div className="field">
              <label htmlFor={`filter-condition-${n}`}>Operator {n}</label>
              <select
                id={`filter-condition-${n}`}
                value={row.condition}
                onChange={(e) => set(index, { condition: e.target.value as Condition })}
              >
                {type.conditions.map((condition) => (
                  <option key={condition} value={condition}>
                    {CONDITION_LABELS[condition]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`filter-value-${n}`}>Value {n}</label>
              {type.values ? (
                <select
                  id={`filter-value-${n}`}
                  value={row.value}
                  onChange={(e) => set(index, { value: e.target.value })}
                >
                  {type.values.map((v) => (
                    <option key={v.value} value={v.value}>
                      {v.label}
                    </option>
                  ))}
                </select>
              ) : (
                <input
                  id={`filter-value-${n}`}
                  value={row.value}
                  onChange={(e) => set(index, { value: e.target.value })}
                />
              )}
            </div>
            <button
              type="button"
              aria-label={`Remove filter ${n}`}
              onClick={() => onChange(rows.filter((_, i) => i !== index))}
            >
              Remove
            </button>
          </div>
        );
      })}
      <button type="button" onClick={() => onChange([...rows, newFilterRow()])}>
        Add filter
      </button>
    </>
  );
}
