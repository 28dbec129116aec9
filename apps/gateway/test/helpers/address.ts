/** A valid address-book entry as `POST /api/v1/me/addresses` takes it. */
export const ADDRESS = {
  label: "Rumah",
  recipient: "Siti",
  phone: "0812-3456-7890",
  street: "Jl. Kenanga No. 1",
  district: "Coblong",
  city: "Kota Bandung",
  province: "Jawa Barat",
  postal_code: "40132",
} as const;
