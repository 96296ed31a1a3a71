// Accounts and workspaces in the browser: sign-up (claiming an anonymous endpoint), API tokens,
// team workspaces with invites and roles, redaction rules and the audit log. Sign-in, sign-out and
// throttling are in accounts-signin.spec.ts (their own server).
import { test, expect } from "./fixtures";
import { allowHttpErrors, escapeRegExp, fillSignUp, newPage, newUser, signIn, signUp } from "./account-helpers";

test("an anonymous endpoint made before signing up is kept in the personal workspace", async ({ page, createEndpoint }) => {
  const captureUrl = await createEndpoint();
  await page.goto("/");
  await expect(page.getByTestId("anonymous-note")).toContainText(/Anonymous endpoints expire on .+; sign up to keep them/);

  await page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign up" }).click();
  await expect(page).toHaveURL(/\/signup$/);
  await expect(page.getByTestId("claim-note")).toContainText("The endpoint you made in this browser without an account will be kept");
  const user = newUser("Claire");
  await fillSignUp(page, user);

  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("button", { name: user.name })).toBeVisible();
  await expect(page.getByLabel("Workspace", { exact: true })).toHaveValue(/^ws_/);
  await expect(page.getByLabel("Workspace", { exact: true }).locator("option:checked")).toHaveText(
    `${user.name}'s workspace (personal) · owner`,
  );
  await expect(page.getByTestId("anonymous-note")).toHaveCount(0);
  const list = page.getByRole("region", { name: `Endpoints in ${user.name}'s workspace` });
  await expect(list.getByRole("link", { name: new RegExp(escapeRegExp(captureUrl)) })).toBeVisible();

  // Signed in, a new endpoint goes into the selected workspace and is listed there.
  await page.getByRole("button", { name: "Create a capture URL" }).click();
  await expect(page).toHaveURL(/\/e\/ep_/);
  const second = await page.getByTestId("capture-url").textContent();
  await page.goto("/");
  await expect(list.getByRole("link")).toHaveCount(2);
  await expect(list.getByRole("link", { name: new RegExp(escapeRegExp(second!)) })).toBeVisible();
});

test("a session that arrives without a password sign-in (the OAuth path) claims the browser's anonymous endpoints", async ({
  page,
  browser,
  baseURL,
  createEndpoint,
}) => {
  const captureUrl = await createEndpoint();
  // The account signs in elsewhere; its session cookie then lands in this browser, as after an
  // OAuth round trip (which never passes the credentials provider that claims on the server).
  const user = newUser("Olga");
  const other = await newPage(browser, baseURL);
  await signUp(other, user);
  const session = (await other.context().cookies()).filter((c) => c.name.includes("next-auth.session-token"));
  expect(session.length).toBeGreaterThan(0);
  await page.context().addCookies(session);

  await page.goto("/");
  const list = page.getByRole("region", { name: `Endpoints in ${user.name}'s workspace` });
  await expect(list.getByRole("link", { name: new RegExp(escapeRegExp(captureUrl)) })).toBeVisible();
  const endpoints = await (await other.request.get("/api/endpoints")).json();
  expect(endpoints.endpoints).toHaveLength(1);
  expect(endpoints.endpoints[0].expiresAt).toBeNull();
  await other.context().close();
});

test("an API token is shown once, then listed without its secret, works, and can be revoked", async ({ page, request }) => {
  const user = newUser("Tom");
  await signUp(page, user);
  await page.getByRole("button", { name: user.name }).click();
  await page.getByRole("link", { name: "Settings", exact: true }).click();
  await expect(page).toHaveURL(/\/settings$/);
  await expect(page.getByRole("heading", { name: "Settings" })).toBeVisible();

  const form = page.getByRole("form", { name: "Create an API token" });
  await form.getByLabel("Token name").fill("CI script");
  await expect(form.getByLabel("Role")).toHaveValue("owner");
  await form.getByLabel("Role").selectOption("member");
  await form.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByTestId("new-token-value");
  await expect(shown).toHaveText(/^hs_tok_\S{20,}$/);
  const secret = (await shown.textContent())!;
  await expect(page.getByTestId("new-token")).toContainText("shown only once");
  await expect(page.getByRole("button", { name: "Copy token to clipboard" })).toBeVisible();

  const table = page.getByRole("table", { name: "Your API tokens" });
  const row = table.getByRole("row", { name: /CI script/ });
  await expect(row).toContainText("member");
  await expect(row).toContainText(`${user.name}'s workspace`);

  // The token works as a Bearer credential, with its role.
  const me = await request.get("/api/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(((await me.json()) as { kind: string }).kind).toBe("token");

  await page.getByRole("button", { name: "Done, I have copied it" }).click();
  await expect(shown).toHaveCount(0);
  await page.reload();
  await expect(row).toContainText(secret.slice(0, 11));
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's innerText(): the check is on the text the page shows
  expect(await page.locator("body").innerText()).not.toContain(secret);

  await row.getByRole("button", { name: "Revoke token CI script" }).click();
  const dialog = page.getByRole("dialog", { name: "Revoke the token “CI script”?" });
  await dialog.getByRole("button", { name: "Revoke token" }).click();
  await expect(table).toHaveCount(0);
  await expect(page.getByText("No API tokens yet.")).toBeVisible();
  const after = await request.get("/api/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(((await after.json()) as { kind: string }).kind).toBe("none");
});

test("settings: a password change signs the other session out; sign out everywhere ends this one too", async ({
  page,
  browser,
  baseURL,
}) => {
  const user = newUser("Sid");
  await signUp(page, user);
  const other = await newPage(browser, baseURL);
  await other.goto("/signin");
  await signIn(other, user.email, user.password);
  await expect(other.getByRole("button", { name: user.name })).toBeVisible();

  await page.goto("/settings");
  const form = page.getByRole("form", { name: "Change password" });
  await form.getByLabel("Current password").fill(user.password);
  await form.getByLabel("New password").fill(`${user.password} v2`);
  await form.getByRole("button", { name: "Change password" }).click();
  await expect(form.getByRole("status")).toHaveText("Password changed. 1 other session was signed out.");
  await other.reload();
  await expect(other.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
  await expect(page.getByRole("button", { name: user.name })).toBeVisible();

  await page.getByRole("button", { name: "Sign out everywhere" }).click();
  await page.getByRole("dialog", { name: "Sign out everywhere?" }).getByRole("button", { name: "Sign out everywhere" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/settings");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=%2Fsettings$/);
  await other.context().close();
});

test("a team workspace: invite, accept, make a viewer, who cannot create endpoints; the audit log records it", async ({
  page,
  browser,
  baseURL,
  request,
}) => {
  const owner = newUser("Olga");
  await signUp(page, owner);
  await page.goto("/settings");
  const create = page.getByRole("form", { name: "Create a team workspace" });
  await create.getByLabel("New team workspace").fill("Payments team");
  await create.getByRole("button", { name: "Create workspace" }).click();
  await expect(page).toHaveURL(/\/w\/ws_[^/]+\/settings$/);
  const settingsUrl = new URL(page.url()).pathname;
  await expect(page.getByRole("heading", { level: 1, name: "Payments team" })).toBeVisible();
  await expect(page.getByTestId("my-role")).toHaveText("owner");

  // A stranger (no session) gets the same 404 as for a workspace that does not exist.
  expect((await request.get(settingsUrl)).status()).toBe(404);

  const invites = page.getByRole("region", { name: "Invites" });
  await invites.getByLabel("Role for the new member").selectOption("member");
  await invites.getByRole("button", { name: "Create invite link" }).click();
  const inviteUrl = (await page.getByTestId("new-invite-url").textContent())!;
  expect(inviteUrl).toMatch(/\/invite\/hs_inv_/);
  await expect(invites.getByRole("table", { name: "Pending invites" }).getByRole("row")).toHaveCount(2);

  // The second person opens the link, signs up from it and comes back to accept.
  const guest = newUser("Gus");
  const page2 = await newPage(browser, baseURL);
  await page2.goto(new URL(inviteUrl).pathname);
  await expect(page2.getByTestId("invite-workspace")).toHaveText("Payments team");
  await expect(page2.getByTestId("invite-role")).toHaveText("member");
  await page2.getByRole("link", { name: "Create an account" }).click();
  await expect(page2).toHaveURL(/\/signup\?callbackUrl=%2Finvite%2F/);
  await fillSignUp(page2, guest);
  await expect(page2).toHaveURL(/\/invite\/hs_inv_/);
  await page2.getByRole("button", { name: "Accept and join Payments team" }).click();
  await expect(page2).toHaveURL(/\/\?workspace=ws_/);
  await expect(page2.getByLabel("Workspace", { exact: true }).locator("option:checked")).toHaveText("Payments team · member");
  await expect(page2.getByRole("button", { name: "Create a capture URL" })).toBeEnabled();

  // The invite is used up: it left the pending list.
  await page.reload();
  await expect(page.getByText("No pending invites.")).toBeVisible();

  // The owner makes the guest a viewer.
  const members = page.getByRole("table", { name: "Members" });
  await expect(members.getByRole("row", { name: new RegExp(escapeRegExp(guest.email)) })).toBeVisible();
  await members.getByLabel(`Role of ${guest.email}`).selectOption("viewer");
  await expect(members.getByLabel(`Role of ${guest.email}`)).toHaveValue("viewer");

  await page2.reload();
  await expect(page2.getByLabel("Workspace", { exact: true }).locator("option:checked")).toHaveText("Payments team · viewer");
  await expect(page2.getByRole("button", { name: "Create a capture URL" })).toBeDisabled();
  await expect(page2.getByText("viewers can read captures but cannot create endpoints")).toBeVisible();

  // The viewer sees members and rules, not invites or the audit log, and cannot change roles.
  await page2.goto(settingsUrl);
  await expect(page2.getByTestId("my-role")).toHaveText("viewer");
  await expect(page2.getByRole("table", { name: "Members" })).toBeVisible();
  await expect(page2.getByTestId(`role-${owner.email}`)).toHaveText("owner");
  await expect(page2.getByRole("region", { name: "Invites" })).toHaveCount(0);
  await expect(page2.getByRole("region", { name: "Audit log" })).toHaveCount(0);
  await expect(page2.getByRole("button", { name: "Save rules" })).toHaveCount(0);

  // The owner's audit log shows what happened, newest first.
  await page.reload();
  const audit = page.getByRole("table", { name: "Audit log" });
  const actions = audit.locator("tbody tr td:nth-child(3)");
  await expect(actions).toHaveText(["member.role_change", "invite.accept", "invite.create", "workspace.create"]);
  const change = audit.getByRole("row", { name: /member\.role_change/ });
  await expect(change).toContainText(owner.email);
  await expect(change).toContainText("member → viewer");
  await expect(audit.getByRole("row", { name: /invite\.accept/ })).toContainText(guest.email);

  await page.getByLabel("Action", { exact: true }).selectOption("invite.create");
  await expect(actions).toHaveText(["invite.create"]);

  // The viewer leaves; the workspace disappears from their switcher.
  await page2.getByRole("button", { name: "Leave" }).click();
  await page2.getByRole("dialog").getByRole("button", { name: "Leave workspace" }).click();
  await expect(page2).toHaveURL(/\/$/);
  await expect(page2.getByLabel("Workspace", { exact: true }).locator("option")).toHaveText([
    `${guest.name}'s workspace (personal) · owner`,
  ]);
  await page2.context().close();
});

test("workspace redaction rules show the API's validation messages; an invite is revoked; the owner deletes the workspace", async ({
  page,
  pageErrors,
}) => {
  const owner = newUser("Rita");
  await signUp(page, owner);
  await page.goto("/settings");
  await page.getByLabel("New team workspace").fill("Support");
  await page.getByRole("button", { name: "Create workspace" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Support" })).toBeVisible();

  const rules = page.getByRole("region", { name: "Redaction rules" });
  const add = rules.getByRole("form", { name: "Add a redaction rule" });
  const addRule = async (kind: string, value: string) => {
    await add.getByLabel("Kind").selectOption({ label: kind });
    await add.getByLabel(kind, { exact: true }).fill(value);
    await add.getByRole("button", { name: "Add rule" }).click();
  };
  await addRule("Header name", "X-Customer-*");
  await addRule("JSON path", "$..email");
  await addRule("Form field", "password");
  await addRule("Query parameter", "sig");
  await addRule("Regex", "\\b\\d{4}-\\d{4}-\\d{4}-\\d{4}\\b");
  await addRule("JSON path", "$.card[");
  const list = rules.getByRole("list", { name: "Workspace redaction rules" });
  await expect(list.getByRole("listitem")).toHaveCount(6);
  await expect(rules.getByText("Unsaved changes")).toBeVisible();

  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByRole("alert")).toContainText("Rule 6 (JSON path $.card[): invalid JSON path");

  await list.getByRole("button", { name: "Remove rule 6: JSON path $.card[" }).click();
  await rules.getByRole("button", { name: "Save rules" }).click();
  await expect(rules.getByRole("status")).toHaveText("Saved.");
  await page.reload();
  await expect(list.getByRole("listitem")).toHaveCount(5);
  await expect(list).toContainText("$..email");

  // An invite revoked before use: gone from the list, and its link no longer works.
  const invites = page.getByRole("region", { name: "Invites" });
  await invites.getByLabel("Role for the new member").selectOption("admin");
  await invites.getByRole("button", { name: "Create invite link" }).click();
  const revokedUrl = (await page.getByTestId("new-invite-url").textContent())!;
  const pending = invites.getByRole("table", { name: "Pending invites" });
  await expect(pending.getByRole("row")).toHaveCount(2);
  await expect(pending.getByRole("row").nth(1)).toContainText("admin");
  await pending.getByRole("button", { name: /^Revoke admin invite/ }).click();
  await expect(invites.getByText("No pending invites.")).toBeVisible();
  await expect(page.getByTestId("new-invite-url")).toHaveCount(0);
  await page.goto(new URL(revokedUrl).pathname);
  await expect(page.getByRole("alert").filter({ hasText: "invite" })).toContainText("This invite link does not work any more");
  await page.goBack();

  // The audit log pages 50 at a time, back to the workspace's creation.
  const workspaceId = decodeURIComponent(new URL(page.url()).pathname.split("/")[2]!);
  for (let i = 0; i < 55; i++) {
    const res = await page.request.post("/api/tokens", { data: { name: `bulk ${i}`, workspaceId, role: "viewer" } });
    expect(res.status()).toBe(201);
  }
  await page.reload();
  const auditRows = page.getByRole("table", { name: "Audit log" }).locator("tbody tr");
  await expect(auditRows).toHaveCount(50);
  await expect(auditRows.first()).toContainText("token.create");
  await page.getByRole("button", { name: "Load older events" }).click();
  // 55 token.create, invite.create and invite.revoke, workspace.update and workspace.create.
  await expect(auditRows).toHaveCount(59);
  await expect(auditRows.last()).toContainText("workspace.create");
  await expect(page.getByRole("button", { name: "Load older events" })).toHaveCount(0);

  // Deleting needs the name typed.
  await page.getByRole("button", { name: "Delete workspace" }).click();
  const dialog = page.getByRole("dialog", { name: "Delete Support?" });
  const confirm = dialog.getByRole("button", { name: "Delete workspace" });
  await expect(confirm).toBeDisabled();
  await dialog.getByRole("textbox").fill("Support");
  await confirm.click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByLabel("Workspace", { exact: true }).locator("option")).toHaveText([
    `${owner.name}'s workspace (personal) · owner`,
  ]);
  allowHttpErrors(pageErrors, [404, 422]);
});
