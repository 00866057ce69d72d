import { useState } from 'react';
import type { LicenseManager } from '@lm/api-model';
import {
  COMPARATOR_LABELS,
  DISCOVERY_FILTERS,
  DISCOVERY_RESOURCE_TYPES,
  filterText,
  productText,
  type Comparator,
  type DiscoveryResourceType,
} from '../licensing/product-information';
import { ErrorMessage } from './error-message';

type Filter = LicenseManager.ProductInformationFilter;

/**
 * The guide's "Automated discovery rules" panel: each rule (the API's ProductInformation) is a resource
 * type and filters that must all hold; a resource matching any rule is associated by automated
 * discovery. A rule is built a filter at a time ("Add filter"), then added ("Add automated discovery rule"). The API checks
 * the rules; its answer about them is shown here (`error`). "Stop tracking instances when software is
 * uninstalled" is the form's `disassociateWhenNotFound` box.
 */
export function DiscoveryRuleEditor({
  products,
  onChange,
  disassociateWhenNotFound,
  error,
}: {
  products: LicenseManager.ProductInformation[];
  onChange(products: LicenseManager.ProductInformation[]): void;
  disassociateWhenNotFound: boolean;
  error?: unknown;
}) {
  const [resourceType, setResourceType] = useState<DiscoveryResourceType>('SSM_MANAGED');
  const [filters, setFilters] = useState<Filter[]>([]);
  const [filterName, setFilterName] = useState('');
  const [tagKey, setTagKey] = useState('');
  const [comparator, setComparator] = useState<Comparator | ''>('');
  const [value, setValue] = useState('');
  const offered = DISCOVERY_FILTERS[resourceType];
  const chosen = offered.find((type) => type.name === filterName) ?? offered[0];
  const chosenComparator = comparator && chosen.comparators.includes(comparator) ? comparator : chosen.comparators[0];
  const isTag = chosen.name === 'Tag';
  // A tag exclusion may leave out the value (any value of the key); every other filter needs one.
  const complete = isTag ? tagKey.trim() !== '' : value.trim() !== '';

  const chooseFilter = (name: string) => {
    setFilterName(name);
    setComparator('');
    setValue('');
    setTagKey('');
  };
  const addFilter = () => {
    if (!complete) return;
    setFilters([
      ...filters,
      {
        ProductInformationFilterName: isTag ? `Tag:${tagKey.trim()}` : chosen.name,
        ProductInformationFilterComparator: chosenComparator,
        ProductInformationFilterValue: value.trim() === '' ? undefined : [value.trim()],
      },
    ]);
    chooseFilter(chosen.name);
  };
  const addRule = () => {
    onChange([...products, { ResourceType: resourceType, ProductInformationFilterList: filters }]);
    setFilters([]);
  };

  return (
    <fieldset className="rules discovery" aria-describedby={error ? 'discovery-error' : undefined}>
      <legend>Automated discovery rules</legend>
      <p className="hint">
        Resources running a product a rule describes are associated with this license as they are discovered: all of a
        rule’s filters must hold. Exclusions (account ID, tag) need cross-account discovery in Settings.
      </p>
      {products.length > 0 && (
        <ul className="rule-list" aria-label="Automated discovery rules">
          {products.map((product, index) => (
            <li key={index}>
              <span>{productText(product)}</span>
              <button
                type="button"
                aria-label={`Remove automated discovery rule ${index + 1}`}
                onClick={() => onChange(products.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="rule-add">
        <div className="field">
          <label htmlFor="discovery-resource-type">Resource type</label>
          <select
            id="discovery-resource-type"
            value={resourceType}
            disabled={filters.length > 0}
            aria-describedby={filters.length > 0 ? 'discovery-resource-type-hint' : undefined}
            onChange={(e) => {
              setResourceType(e.target.value as DiscoveryResourceType);
              chooseFilter('');
            }}
          >
            {DISCOVERY_RESOURCE_TYPES.map((type) => (
              <option key={type.value} value={type.value}>
                {type.label}
              </option>
            ))}
          </select>
          {filters.length > 0 && (
            <p className="hint" id="discovery-resource-type-hint">
              The new rule’s filters are for this resource type.
            </p>
          )}
        </div>
        <div className="field">
          <label htmlFor="discovery-filter">Product filter</label>
          <select id="discovery-filter" value={chosen.name} onChange={(e) => chooseFilter(e.target.value)}>
            {offered.map((type) => (
              <option key={type.name} value={type.name}>
                {type.label}
              </option>
            ))}
          </select>
        </div>
        {isTag && (
          <div className="field">
            <label htmlFor="discovery-tag-key">Tag key</label>
            <input id="discovery-tag-key" value={tagKey} onChange={(e) => setTagKey(e.target.value)} />
          </div>
        )}
        <div className="field">
          <label htmlFor="discovery-comparator">Operator</label>
          <select
            id="discovery-comparator"
            value={chosenComparator}
            onChange={(e) => setComparator(e.target.value as Comparator)}
          >
            {chosen.comparators.map((c) => (
              <option key={c} value={c}>
                {COMPARATOR_LABELS[c]}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="discovery-value">{isTag ? 'Tag value (optional)' : 'Filter value'}</label>
          {chosen.values ? (
            <select id="discovery-value" value={value} onChange={(e) => setValue(e.target.value)}>
              <option value="">Choose a value</option>
              {chosen.values.map((v) => (
                <option key={v} value={v}>
                  {v}
                </option>
              ))}
            </select>
          ) : (
            <input
              id="discovery-value"
              value={value}
              onChange={(e) => setValue(e.target.value)}
              onKeyDown={(e) => {
                // Enter adds the filter, as "Add filter" does, rather than submitting the whole form.
                if (e.key !== 'Enter') return;
                e.preventDefault();
                addFilter();
              }}
            />
          )}
        </div>
        <button type="button" onClick={addFilter} disabled={!complete}>
          Add filter
        </button>
      </div>
      {filters.length > 0 && (
        <ul className="rule-list" aria-label="Filters of the new rule">
          {filters.map((filter, index) => (
            <li key={index}>
              <span>{filterText(filter)}</span>
              <button
                type="button"
                aria-label={`Remove filter ${filterText(filter)}`}
                onClick={() => setFilters(filters.filter((_, i) => i !== index))}
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="actions">
        <button type="button" onClick={addRule} disabled={filters.length === 0}>
          Add automated discovery rule
        </button>
      </div>
      <div className="field checkbox">
        <input
          id="disassociate-when-not-found"
          name="disassociateWhenNotFound"
          type="checkbox"
          defaultChecked={disassociateWhenNotFound}
        />
        <label htmlFor="disassociate-when-not-found">Stop tracking instances when software is uninstalled</label>
      </div>
      {error !== undefined && <ErrorMessage error={error} id="discovery-error" />}
    </fieldset>
  );
}
