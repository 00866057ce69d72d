// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { LicenseManager } from '@lm/api-model';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/api-error';
import { DiscoveryRuleEditor } from '../src/components/discovery-rule-editor';

afterEach(cleanup);

const optionsOf = (label: string) =>
  within(screen.getByLabelText(label))
    .getAllByRole('option')
    .map((option) => option.textContent);
const choose = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const click = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

describe('DiscoveryRuleEditor', () => {
  it('builds a rule a filter at a time, with the filters, operators and values of its resource type', () => {
    const onChange = vi.fn<(products: LicenseManager.ProductInformation[]) => void>();
    render(<DiscoveryRuleEditor products={[]} onChange={onChange} disassociateWhenNotFound={false} />);
    expect(optionsOf('Product filter')).toContain('Tag (exclusion)');
    // License included: both operators, and only the values licensing takes.
    choose('Product filter', 'License Included');
    expect(optionsOf('Operator')).toEqual(['Equals', 'Not equals']);
    expect(optionsOf('Filter value')).toEqual([
      'Choose a value',
      'sql-server-enterprise',
      'sql-server-standard',
      'sql-server-web',
      'windows-server-datacenter',
    ]);
    choose('Operator', 'NOT_EQUALS');
    choose('Filter value', 'sql-server-web');
    click('Add filter');
    // A tag exclusion: a key, Not equals only, the value optional.
    choose('Product filter', 'Tag');
    expect(optionsOf('Operator')).toEqual(['Not equals']);
    expect((screen.getByRole('button', { name: 'Add filter' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(screen.getByLabelText('Tag key'), { target: { value: 'environment' } });
    click('Add filter');
    expect(within(screen.getByRole('list', { name: 'Filters of the new rule' })).getAllByRole('listitem')).toHaveLength(
      2,
    );
    // The resource type is fixed while the new rule has filters.
    expect((screen.getByLabelText('Resource type') as HTMLSelectElement).disabled).toBe(true);
    click('Add automated discovery rule');
    expect(onChange).toHaveBeenCalledWith([
      {
        ResourceType: 'SSM_MANAGED',
        ProductInformationFilterList: [
          {
            ProductInformationFilterName: 'License Included',
            ProductInformationFilterComparator: 'NOT_EQUALS',
            ProductInformationFilterValue: ['sql-server-web'],
          },
          { ProductInformationFilterName: 'Tag:environment', ProductInformationFilterComparator: 'NOT_EQUALS' },
        ],
      },
    ]);
  });

  it('offers RDS its own filters, and shows the API’s refusal inside the rules', () => {
    render(
      <DiscoveryRuleEditor
        products={[]}
        onChange={() => undefined}
        disassociateWhenNotFound
        error={new ApiError('InvalidParameterValueException', 'RDS products are counted by vCPU only.', 400)}
      />,
    );
    choose('Resource type', 'RDS');
    expect(optionsOf('Product filter')).toEqual(['Engine edition', 'License pack']);
    const rules = screen.getByRole('group', { name: 'Automated discovery rules' });
    expect(within(rules).getByRole('alert').textContent).toBe(
      'RDS products are counted by vCPU only. (InvalidParameterValueException)',
    );
    expect(rules.getAttribute('aria-describedby')).toBe('discovery-error');
    expect(
      (screen.getByLabelText('Stop tracking instances when software is uninstalled') as HTMLInputElement).checked,
    ).toBe(true);
  });
});
