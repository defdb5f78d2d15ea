// The API key: typed once per tab (kept in sessionStorage, gone when the tab closes), sent as
// `Authorization: Bearer <key>`. Empty: no key (a development gateway without keys serves everyone).
import { Button, Flex, TextField } from '@radix-ui/themes';
import { type FormEvent, useState } from 'react';

export function KeyForm({ current, onChange }: { current: string | null; onChange: (key: string | null) => void }) {
  const [value, setValue] = useState(current ?? '');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onChange(value.trim() === '' ? null : value.trim());
  };
  return (
    <form onSubmit={submit} aria-label="Use an API key">
      <Flex gap="2" align="center">
        <label htmlFor="api-key">API key</label>
        <TextField.Root id="api-key" type="password" autoComplete="off" placeholder="pk_…" value={value} onChange={(e) => setValue(e.target.value)} />
        <Button type="submit">Use key</Button>
        {current && (
          <Button
            type="button"
            variant="soft"
            onClick={() => {
              setValue('');
              onChange(null);
            }}
          >
            Forget
          </Button>
        )}
      </Flex>
    </form>
  );
}
