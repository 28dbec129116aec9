/**
 * A buyer's address as `POST /api/v1/me/addresses` takes it (API.md): the one the black-box
 * journeys through the public API save before they check out.
 */
export function sampleAddress(recipient = "Budi") {
  return {
    label: "Rumah",
    recipient,
    phone: "+6281234567890",
    street: "Jl. Merdeka 1",
    district: "Kebayoran Baru",
    city: "Jakarta Selatan",
    province: "DKI Jakarta",
    postal_code: "12110",
    is_default: true,
  };
}
