// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../src/api/api-error';
import { useApi } from '../src/api/use-api';
import { LoadedView } from '../src/components/loaded-view';
import { RuleEditor } from '../src/components/rule-editor';
import type { Rule } from '../src/licensing/license-rules';

afterEach(cleanup);

describe('LoadedView', () => {
  const view = (state: Parameters<typeof LoadedView<string>>[0]['state']) =>
    render(
      <LoadedView state={state} what="license configurations">
        {(data) => <p>loaded: {data}</p>}
      </LoadedView>,
    );

  it('says what is loading, then shows what loaded', () => {
    view({ status: 'loading' });
    expect(screen.getByRole('status').textContent).toBe('Loading license configurations…');
    cleanup();
    view({ status: 'loaded', data: 'three' });
    expect(screen.getByText('loaded: three')).toBeTruthy();
  });

  it('shows an API error as a sentence with its code, announced', () => {
    view({ status: 'failed', error: new ApiError('AccessDeniedException', 'You may not list them.', 403) });
    expect(screen.getByRole('alert').textContent).toBe('You may not list them. (AccessDeniedException)');
  });

  it('says a service missing from this deployment (501) is not part of it, as a note and not an error', () => {
    view({ status: 'failed', error: new ApiError('NotImplementedException', 'not implemented', 501) });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(screen.getByRole('status').textContent).toBe('License configurations: not part of this deployment.');
  });
});

describe('RuleEditor', () => {
  const editor = (countingType: 'Core' | 'vCPU', rules: Rule[] = [], error?: unknown) => {
    const onChange = vi.fn();
    render(<RuleEditor countingType={countingType} rules={rules} onChange={onChange} error={error} />);
    return onChange;
  };
  const offered = () =>
    within(screen.getByLabelText('Rule type'))
      .getAllByRole('option')
      .map((option) => option.textContent);

  it('offers the rules of the guide’s table for the counting type', () => {
    editor('Core');
    expect(offered()).toEqual(['License affinity to host (in days)', 'Maximum cores', 'Minimum cores', 'Tenancy']);
    cleanup();
    editor('vCPU');
    expect(offered()).toEqual(['Maximum vCPUs', 'Minimum vCPUs', 'Tenancy', 'vCPU Optimization']);
  });

  it('offers a rule once: those already added are not offered again', () => {
    editor('Core', [{ name: 'maximumCores', value: '16' }]);
    expect(offered()).not.toContain('Maximum cores');
    expect(screen.getByText('16').closest('li')!.textContent).toContain('Maximum cores: 16');
  });

  it('adds a rule with its value, from labelled controls', () => {
    const onChange = editor('Core');
    fireEvent.change(screen.getByLabelText('Rule type'), { target: { value: 'minimumCores' } });
    fireEvent.change(screen.getByLabelText('Rule value'), { target: { value: '8' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add rule' }));
    expect(onChange).toHaveBeenCalledWith([{ name: 'minimumCores', value: '8' }]);
  });

  it('adds a rule when Enter is pressed in its value, without submitting the form around it', () => {
    const onSubmit = vi.fn((event: { preventDefault(): void }) => event.preventDefault());
    const onChange = vi.fn();
    render(
      <form onSubmit={onSubmit}>
        <RuleEditor countingType="Core" rules={[]} onChange={onChange} />
      </form>,
    );
    fireEvent.change(screen.getByLabelText('Rule type'), { target: { value: 'maximumCores' } });
    fireEvent.change(screen.getByLabelText('Rule value'), { target: { value: '16' } });
    fireEvent.keyDown(screen.getByLabelText('Rule value'), { key: 'Enter' });
    expect(onChange).toHaveBeenCalledWith([{ name: 'maximumCores', value: '16' }]);
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('offers the tenancies by their console names', () => {
    editor('vCPU');
    fireEvent.change(screen.getByLabelText('Rule type'), { target: { value: 'allowedTenancy' } });
    const names = within(screen.getByLabelText('Rule value'))
      .getAllByRole('option')
      .map((option) => option.textContent);
    expect(names).toEqual([
      'Choose a tenancy',
      'Shared (EC2-Default)',
      'Dedicated Instance (EC2-DedicatedInstance)',
      'Dedicated Host (EC2-DedicatedHost)',
    ]);
  });

  it('shows the API’s refusal of a rule inside the rules, described by it', () => {
    editor(
      'Core',
      [],
      new ApiError('InvalidParameterValueException', 'Rule minimumCores (16) is greater than maximumCores (8).', 400),
    );
    const rules = screen.getByRole('group', { name: 'Rules' });
    expect(within(rules).getByRole('alert').textContent).toBe(
      'Rule minimumCores (16) is greater than maximumCores (8). (InvalidParameterValueException)',
    );
    expect(rules.getAttribute('aria-describedby')).toBe('rules-error');
  });
});

describe('useApi', () => {
  function Reader({ load, keyOf }: { load: () => Promise<string>; keyOf: string }) {
    const [state, reload] = useApi(load, keyOf);
    return (
      <>
        <LoadedView state={state} what="the answer">
          {(data) => <p>answer: {data}</p>}
        </LoadedView>
        <button type="button" onClick={reload}>
          Refresh
        </button>
      </>
    );
  }

  it('keeps what it shows while a reload runs, and shows loading for another key', async () => {
    let answer = 'first';
    let release: () => void = () => undefined;
    const load = () => new Promise<string>((resolve) => (release = () => resolve(answer)));
    const { rerender } = render(<Reader load={load} keyOf="a" />);
    expect(screen.getByRole('status').textContent).toBe('Loading the answer…');
    await act(async () => release());
    expect(screen.getByText('answer: first')).toBeTruthy();

    answer = 'second';
    fireEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(screen.getByText('answer: first')).toBeTruthy();
    await act(async () => release());
    expect(screen.getByText('answer: second')).toBeTruthy();

    rerender(<Reader load={load} keyOf="b" />);
    expect(screen.getByRole('status').textContent).toBe('Loading the answer…');
  });
});
