// Served in place of https://cdn.shopify.com/shopifycloud/app-bridge.js in browser tests (see
// browser.ts). It does what the app relies on App Bridge for, with no Shopify Admin around it:
// `window.shopify` (idToken, config, toast, loading, modal, saveBar), session tokens on same-origin
// fetches, the session-token bounce page, and the ui-* elements. Session tokens come from Node
// (`__winbackSessionToken`, exposed by the test) because they are signed with the app secret.
(() => {
  if (window.shopify) return;

  const script = document.currentScript;
  const params = new URLSearchParams(location.search);
  // Admin passes shop and host on the first load; keep them for later loads in this tab.
  const remembered = JSON.parse(sessionStorage.getItem("app-bridge-stand-in") ?? "{}");
  const config = {
    apiKey: script?.dataset.apiKey ?? "",
    shop: params.get("shop") ?? remembered.shop ?? "",
    host: params.get("host") ?? remembered.host ?? "",
    locale: "en",
  };
  sessionStorage.setItem("app-bridge-stand-in", JSON.stringify({ shop: config.shop, host: config.host }));

  const originalFetch = window.fetch.bind(window);
  /** What the app did through App Bridge, for assertions (browser.ts reads it). */
  const record = { toasts: [], loading: [], modals: [], saveBars: [], originalFetch };
  window.__appBridgeStandIn = record;

  const idToken = () => window.__winbackSessionToken();
  const byId = (id) => document.getElementById(id);

  window.shopify = {
    config,
    origin: "https://admin.shopify.com",
    environment: { embedded: true, mobile: false, pos: false },
    idToken,
    toast: {
      show(message, options) {
        record.toasts.push({ message, isError: Boolean(options?.isError) });
        return String(record.toasts.length);
      },
      hide() {},
    },
    loading(isLoading = true) {
      record.loading.push(isLoading);
    },
    modal: { show: (id) => byId(id)?.show(), hide: (id) => byId(id)?.hide(), toggle: (id) => byId(id)?.toggle() },
    saveBar: {
      show: (id) => byId(id)?.show(),
      hide: (id) => byId(id)?.hide(),
      toggle: (id) => byId(id)?.toggle(),
      leaveConfirmation: async () => {},
    },
  };

  // Like App Bridge: same-origin fetches carry a fresh session token, and a 401 that asks for a
  // retry (X-Shopify-Retry-Invalid-Session-Request) is retried once with a new token.
  window.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== location.origin || request.headers.has("authorization")) return originalFetch(request);
    const retry = request.clone();
    request.headers.set("authorization", `Bearer ${await idToken()}`);
    const response = await originalFetch(request);
    if (response.status !== 401 || response.headers.get("x-shopify-retry-invalid-session-request") !== "1") return response;
    retry.headers.set("authorization", `Bearer ${await idToken()}`);
    return originalFetch(retry);
  };

  // The session-token bounce page (/auth/session-token?shopify-reload=…): App Bridge reloads the
  // target with a new id_token.
  const reload = params.get("shopify-reload");
  if (reload) {
    const target = new URL(reload, location.href);
    if (target.origin === location.origin) {
      idToken().then((token) => {
        target.searchParams.set("id_token", token);
        location.replace(target.href);
      });
    }
  }

  // Admin draws the nav menu and title bar outside the app's frame; here the title bar is a plain
  // strip (so its buttons can be clicked), and modals and save bars show while open.
  const style = document.createElement("style");
  style.textContent = `
    ui-nav-menu, s-app-nav, ui-modal, ui-save-bar:not([data-open]) { display: none; }
    ui-title-bar { display: flex; gap: 8px; align-items: center; padding: 8px 16px; background: #e3e3e3; }
    ui-title-bar::before { content: attr(title); font-weight: 600; margin-inline-end: auto; }
    ui-modal ui-title-bar, ui-modal ui-save-bar { display: none; }
    ui-save-bar[data-open] { display: flex; gap: 8px; padding: 8px 16px; background: #303030; color: #fff; }
    .app-bridge-stand-in-modal { position: fixed; inset: 0; z-index: 1000; display: grid; place-items: center; background: #00000080; }
    .app-bridge-stand-in-modal > div { background: #fff; min-width: 320px; max-width: 90vw; max-height: 90vh; overflow: auto; }
    .app-bridge-stand-in-modal h2 { margin: 0; padding: 12px 16px; font-size: 14px; }
    .app-bridge-stand-in-modal footer { display: flex; gap: 8px; justify-content: flex-end; padding: 12px 16px; }
  `;
  document.head.append(style);

  class Toggled extends HTMLElement {
    get showing() {
      return this.hasAttribute("data-open");
    }
    async show() {
      if (this.showing) return;
      this.toggleAttribute("data-open", true);
      this.shown();
      this.dispatchEvent(new Event("show"));
    }
    async hide() {
      if (!this.showing) return;
      this.toggleAttribute("data-open", false);
      this.hidden();
      this.dispatchEvent(new Event("hide"));
    }
    async toggle() {
      return this.showing ? this.hide() : this.show();
    }
    shown() {}
    hidden() {}
  }

  class UiSaveBar extends Toggled {
    shown() {
      record.saveBars.push({ id: this.id, open: true });
    }
    hidden() {
      record.saveBars.push({ id: this.id, open: false });
    }
  }

  // App Bridge's React <Modal> renders its children into `modal.content`, and App Bridge shows it
  // outside the frame with the title bar's buttons as the modal's actions. Here: a dialog overlay
  // in the page, whose action buttons click the title bar's own.
  class UiModal extends Toggled {
    constructor() {
      super();
      this.content = document.createElement("div");
      this.overlay = document.createElement("div");
      this.overlay.className = "app-bridge-stand-in-modal";
      this.dialog = document.createElement("div");
      this.dialog.setAttribute("role", "dialog");
      this.dialog.setAttribute("aria-modal", "true");
      this.heading = document.createElement("h2");
      this.actions = document.createElement("footer");
      this.dialog.append(this.heading, this.content, this.actions);
      this.overlay.append(this.dialog);
    }
    shown() {
      const titleBar = this.querySelector("ui-title-bar");
      const title = titleBar?.getAttribute("title") ?? "";
      this.heading.textContent = title;
      this.heading.hidden = !title;
      if (title) this.dialog.setAttribute("aria-label", title);
      this.actions.replaceChildren(
        ...[...(titleBar?.querySelectorAll("button") ?? [])].map((original) => {
          const proxy = document.createElement("button");
          proxy.type = "button";
          proxy.textContent = original.textContent;
          proxy.disabled = original.disabled;
          proxy.addEventListener("click", () => original.click());
          return proxy;
        }),
      );
      document.body.append(this.overlay);
      record.modals.push({ id: this.id, open: true });
    }
    hidden() {
      this.overlay.remove();
      record.modals.push({ id: this.id, open: false });
    }
  }

  class Inert extends HTMLElement {}

  customElements.define("ui-save-bar", UiSaveBar);
  customElements.define("ui-modal", UiModal);
  for (const name of ["ui-nav-menu", "ui-title-bar", "s-app-nav"]) customElements.define(name, class extends Inert {});
})();
