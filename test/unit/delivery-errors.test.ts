import { describe, expect, it } from "vitest";
import { classifyDeliveryError, withoutAddresses } from "../../app/email/transport.server";

// Errors shaped as nodemailer's SMTP connection reports them (code, command, responseCode, originalCode, timeoutType).
const smtpError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? "failed")), fields);

describe("what a failed delivery means", () => {
  it("retries what the provider refused for now, or never received", () => {
    expect(
      classifyDeliveryError(smtpError({ code: "EENVELOPE", command: "RCPT TO", responseCode: 451, message: "451 4.3.0 Try again later" }))
        .failure,
    ).toBe("transient");
    expect(
      classifyDeliveryError(
        smtpError({ code: "EMESSAGE", command: "DATA", responseCode: 452, message: "Message failed: 452 4.3.1 Insufficient storage" }),
      ).failure,
    ).toBe("transient");
    expect(classifyDeliveryError(smtpError({ code: "ESOCKET", originalCode: "ECONNREFUSED", command: "CONN" })).failure).toBe("transient");
    expect(classifyDeliveryError(smtpError({ code: "ETIMEDOUT", timeoutType: "GREETING_TIMEOUT", command: "CONN" })).failure).toBe(
      "transient",
    );
    expect(classifyDeliveryError(smtpError({ code: "EAUTH", command: "AUTH PLAIN", responseCode: undefined })).failure).toBe("transient");
  });

  it("suppresses only a mailbox that does not exist", () => {
    const unknownMailbox = smtpError({
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
      message: "Can't send mail - all recipients were rejected: 550 5.1.1 No such mailbox",
    });
    expect(classifyDeliveryError(unknownMailbox).failure).toBe("recipient");
    // A relay refused (bad credentials) or a sender refused is the app's problem, not the customer's address.
    const relayDenied = smtpError({
      code: "EENVELOPE",
      command: "RCPT TO",
      responseCode: 550,
      message: "Can't send mail - all recipients were rejected: 550 5.7.1 Relaying denied",
    });
    expect(classifyDeliveryError(relayDenied).failure).toBe("rejected");
    expect(
      classifyDeliveryError(
        smtpError({ code: "EENVELOPE", command: "MAIL FROM", responseCode: 553, message: "553 5.1.8 Sender domain unknown" }),
      ).failure,
    ).toBe("rejected");
    expect(
      classifyDeliveryError(smtpError({ code: "EMESSAGE", command: "DATA", responseCode: 554, message: "Message failed: 554 5.7.1 Spam" }))
        .failure,
    ).toBe("rejected");
    expect(classifyDeliveryError(smtpError({ code: "EENVELOPE", command: "API", message: 'Invalid recipient "a b@"' })).failure).toBe(
      "rejected",
    );
  });

  it("never retries a connection that broke mid-session: the message may have been delivered", () => {
    expect(classifyDeliveryError(smtpError({ code: "ETIMEDOUT", timeoutType: "SOCKET_TIMEOUT", command: "CONN" })).failure).toBe(
      "uncertain",
    );
    expect(classifyDeliveryError(smtpError({ code: "ESOCKET", originalCode: "ECONNRESET", command: "CONN" })).failure).toBe("uncertain");
    expect(
      classifyDeliveryError(smtpError({ code: "ECONNECTION", command: "CONN", message: "Connection closed unexpectedly" })).failure,
    ).toBe("uncertain");
  });

  it("keeps no address from the provider's answer", () => {
    const error = classifyDeliveryError(
      smtpError({
        code: "EENVELOPE",
        command: "RCPT TO",
        responseCode: 450,
        message: "450 4.2.0 <ana.garcia+shop@example.com>: greylisted",
      }),
    );
    expect(error.message).not.toContain("ana.garcia");
    expect(error.message).toContain("<<address>>: greylisted");
    expect(withoutAddresses("mailbox jo@x.io full; retry jo@x.io")).toBe("mailbox <address> full; retry <address>");
  });
});
