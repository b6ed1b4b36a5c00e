import { describe, expect, it } from "vitest";
import { renderEmail, type RenderInput } from "../../app/email/render";
import { checkTemplate, compileContent, stepContentSchema, type StepContent } from "../../app/email/template";

const content = (fields: Partial<StepContent>): StepContent =>
  stepContentSchema.parse({ subject: "We miss you, {{ customer.first_name }}", body: "<p>Hello {{ customer.first_name }}</p>", ...fields });

function input(fields: Partial<StepContent> = {}, overrides: Partial<RenderInput> = {}): RenderInput {
  return {
    compiled: compileContent(content(fields)),
    shop: {
      name: "Acme & Co",
      url: "https://acme.example",
      currencyCode: "EUR",
      timezone: "Europe/Madrid",
      postalAddress: "Acme Ltd, 1 Calle Mayor, Madrid 28013, Spain",
      logoUrl: null,
      accentColor: "#1f5199",
    },
    customer: { firstName: "Ana", lastName: "García", locale: "en-US", lastOrderAt: new Date("2026-07-04T10:00:00Z") },
    offer: { code: "WB-7QK2M9XR4T8Z", kind: "percentage", value: 15, endsAt: "2026-11-30T22:59:00Z" },
    products: [
      { title: "Linen shirt", handle: "linen-shirt", imageUrl: "https://cdn.example/linen.jpg", price: "49.00" },
      { title: "Canvas tote", handle: "canvas-tote", imageUrl: null, price: "19.50" },
    ],
    lastOrderProducts: [{ title: "Wool socks", handle: "wool-socks", imageUrl: null, price: "9.00" }],
    links: {
      unsubscribeUrl: "https://app.example/u/TOKEN",
      openPixelUrl: "https://app.example/t/o/OPEN",
      track: (index) => `https://app.example/t/c/L${index}`,
    },
    now: new Date("2026-11-23T10:00:00Z"),
    ...overrides,
  };
}

describe("checking a template when it is saved", () => {
  it("accepts every variable of PRODUCT.md §6", () => {
    const body = `<p>{{ customer.first_name }} {{ customer.last_name }}, {{ shop.name }} ({{ shop.url }}) misses you: {{ days_since_last_order }} days.</p>
{% for product in products %}<a href="{{ product.url }}">{{ product.title }} {{ product.price }} {{ product.image }}</a>{% endfor %}
{% for product in last_order.products %}{{ product.title }}{% endfor %}
<p>{{ discount.code }} {{ discount.value }} {{ discount.ends_at }} <a href="{{ unsubscribe_url }}">unsubscribe</a></p>`;
    expect(checkTemplate(content({ body }))).toEqual([]);
  });

  it("reports an unknown variable with its field, line and column", () => {
    expect(checkTemplate(content({ body: "<p>Hello</p>\n<p>{{ customer.email }}</p>" }))).toEqual([
      { field: "body", message: "Unknown variable customer.email", line: 2, column: 7 },
    ]);
    expect(checkTemplate(content({ subject: "{{ order.name }}" }))).toEqual([
      { field: "subject", message: "Unknown variable order", line: 1, column: 4 },
    ]);
  });

  it("reports syntax errors and unknown filters with their position", () => {
    expect(checkTemplate(content({ body: "<p>Hi</p>\n{% if customer.first_name %}" }))).toEqual([
      { field: "body", message: expect.stringMatching(/not closed/), line: 2, column: 1 },
    ]);
    expect(checkTemplate(content({ heading: "{{ shop.name | shout }}" }))).toEqual([
      { field: "heading", message: "undefined filter: shout", line: 1, column: 1 },
    ]);
  });

  it("catches a misspelt field of a product inside a loop", () => {
    const [problem] = checkTemplate(content({ body: "{% for product in products %}{{ product.titel }}{% endfor %}" }));
    expect(problem).toMatchObject({ field: "body", message: expect.stringMatching(/undefined variable: product.titel/) });
  });

  it("refuses discount variables in a step without an offer", () => {
    expect(checkTemplate(content({ showOffer: false, body: "<p>{{ discount.code }}</p>" }))).toEqual([
      { field: "body", message: "discount.code needs the step to show an offer", line: 1, column: 7 },
    ]);
  });

  it("asks for a guard around the first product, which a customer may not have", () => {
    const [problem] = checkTemplate(content({ body: "<p>{{ products.first.title }}</p>" }));
    expect(problem).toMatchObject({ field: "body", message: expect.stringMatching(/no products to show.*products\.size > 0/) });
    expect(checkTemplate(content({ body: "{% if products.size > 0 %}<p>{{ products.first.title }}</p>{% endif %}" }))).toEqual([]);
  });

  it("stops a runaway loop within the render limit", () => {
    const started = performance.now();
    const problems = checkTemplate(content({ body: "{% for i in (1..100000) %}{% for j in (1..100000) %}x{% endfor %}{% endfor %}" }));
    expect(problems).toEqual([expect.objectContaining({ field: "body", message: expect.stringMatching(/limit/) })]);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

describe("rendering an e-mail", () => {
  it("speaks to the customer, shows the code, the products and the footer, in HTML and text", () => {
    const email = renderEmail(
      input({ heading: "Come back, {{ customer.first_name }}", preheader: "{{ discount.value }} off until {{ discount.ends_at }}" }),
    );
    expect(email.subject).toBe("We miss you, Ana");
    expect(email.preheader).toBe("15% off until November 30, 2026 at 11:59 PM");
    for (const part of [email.html, email.text]) {
      expect(part).toContain("WB-7QK2M9XR4T8Z");
      expect(part).toContain("Linen shirt");
      expect(part).toContain("€49.00");
      expect(part).toContain("https://app.example/u/TOKEN");
    }
    expect(email.html).toContain("Acme &amp; Co, Acme Ltd, 1 Calle Mayor, Madrid 28013, Spain");
    expect(email.text).toContain("Acme & Co, Acme Ltd, 1 Calle Mayor, Madrid 28013, Spain");
    expect(email.html).toContain('<html lang="en-US"');
    expect(email.html).toContain('src="https://app.example/t/o/OPEN"');
  });

  it("tracks every link to the shop and records its destination", () => {
    const email = renderEmail(
      input({ body: '<p><a href="https://acme.example/pages/about">About us</a> · <a href="mailto:hi@acme.example">mail</a></p>' }),
    );
    expect(email.links).toEqual([
      "https://acme.example/pages/about",
      "https://acme.example/discount/WB-7QK2M9XR4T8Z?redirect=%2F",
      "https://acme.example",
      "https://acme.example/products/linen-shirt",
      "https://acme.example/products/canvas-tote",
    ]);
    expect(email.html).toContain('href="https://app.example/t/c/L0"');
    expect(email.html).toContain('href="mailto:hi@acme.example"');
    expect(email.html).not.toContain('href="https://acme.example/pages/about"');
    expect(email.text).toContain("About us (https://app.example/t/c/L0)");
  });

  it("escapes what customers type and strips what the merchant may not use", () => {
    const hostile = renderEmail(
      input(
        {
          body: '<p onclick="steal()">Hi {{ customer.first_name }}</p><script>steal()</script><a href="javascript:steal()">x</a><img src="x" onerror="steal()">',
        },
        { customer: { firstName: '<script>alert("x")</script>', lastName: null, locale: null, lastOrderAt: null } },
      ),
    );
    expect(hostile.html).toContain('Hi &lt;script&gt;alert("x")&lt;/script&gt;');
    expect(hostile.html).not.toMatch(/<script|onclick|onerror|javascript:|<img src="x"/i);
    expect(hostile.subject).toBe('We miss you, <script>alert("x")</script>'); // a subject is text, not HTML
    expect(hostile.html).toContain("<title>We miss you, &lt;script&gt;");
  });

  it("leaves out the offer and the products when the step says so", () => {
    const plain = renderEmail(input({ showOffer: false, showProducts: false, buttonText: "Visit {{ shop.name }}" }, { offer: null }));
    expect(plain.html).not.toContain("Your personal code");
    expect(plain.html).not.toContain("Picked for you");
    expect(plain.text).toContain("Visit Acme & Co: https://app.example/t/c/L0");
    expect(plain.links).toEqual(["https://acme.example"]);
  });

  it("formats money and dates in the customer's locale and the shop's timezone", () => {
    const german = renderEmail(
      input(
        { body: "<p>{{ discount.value }} · {{ discount.ends_at }} · {% for p in products %}{{ p.price }} {% endfor %}</p>" },
        {
          customer: { firstName: "Jonas", lastName: null, locale: "de-DE", lastOrderAt: null },
          offer: { code: "WB-X", kind: "fixed_amount", value: 10, endsAt: "2026-11-30T22:59:00Z" },
        },
      ),
    );
    expect(german.text.replace(/\u00a0/g, " ")).toContain("10,00 € · 30. November 2026 um 23:59 · 49,00 € 19,50 €");
  });
});
