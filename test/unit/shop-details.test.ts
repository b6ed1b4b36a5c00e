import { describe, expect, it } from "vitest";
import { formatPostalAddress, missingAddressParts, shopDetailsFromAdmin } from "../../app/domain/shop-details";

describe("shop details", () => {
  const address = {
    company: "Acme Ltd",
    address1: "1 Main St",
    address2: null,
    city: "Springfield",
    province: "Oregon",
    provinceCode: "OR",
    zip: "97477",
    country: "United States",
    countryCodeV2: "US",
  };

  it("prints a postal address on one line for the e-mail footer", () => {
    expect(formatPostalAddress(address)).toBe("Acme Ltd, 1 Main St, Springfield OR 97477, United States");
  });

  it("lists the parts a footer address still needs", () => {
    expect(missingAddressParts(address)).toEqual([]);
    expect(missingAddressParts({ ...address, city: "  ", address1: null })).toEqual(["address1", "city"]);
    expect(missingAddressParts(null)).toEqual(["address1", "city", "country"]);
  });

  it("maps the Admin API shop, treating empty strings as unknown", () => {
    expect(
      shopDetailsFromAdmin({
        name: "Acme",
        contactEmail: "",
        ianaTimezone: "Europe/Madrid",
        currencyCode: "EUR",
        shopAddress: null,
        primaryDomain: { url: "https://acme.example/" },
      }),
    ).toEqual({
      name: "Acme",
      contactEmail: null,
      ianaTimezone: "Europe/Madrid",
      currencyCode: "EUR",
      postalAddress: null,
      primaryDomainUrl: "https://acme.example",
    });
  });
});
