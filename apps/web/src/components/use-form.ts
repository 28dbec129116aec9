import { useCallback, useState } from "react";

/** A form's text fields as one state object, with `bind(name)` as each input's onChange. */
export function useFormState<T extends Record<string, string>>(initial: T) {
  const [form, setForm] = useState(initial);
  const bind = useCallback(
    (k: keyof T) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value })),
    [],
  );
  return { form, setForm, bind };
}
