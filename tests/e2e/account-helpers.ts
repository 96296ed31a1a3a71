// Shared steps of the account specs: unique users, the sign-up/sign-in/sign-out forms.
import type { Browser, Page } from "@playwright/test";
import { expect } from "./fixtures";

let counter = 0;
export function newUser(label: string) {
  counter += 1;
  const id = `${Date.now().toString(36)}${counter}${Math.random().toString(36).slice(2, 6)}`;
  return { name: `${label} ${id}`, email: `${label.toLowerCase()}-${id}@example.test`, password: `pw-${id}-correct horse` };
}
export type User = ReturnType<typeof newUser>;

export async function signUp(page: Page, user: User, from = "/signup") {
  await page.goto(from);
  await fillSignUp(page, user);
  await expect(page.getByRole("button", { name: user.name })).toBeVisible();
}

export async function fillSignUp(page: Page, user: User) {
  const form = page.getByRole("form", { name: "Sign up" });
  await form.getByLabel("Name").fill(user.name);
  await form.getByLabel("Email").fill(user.email);
  await form.getByLabel("Password", { exact: true }).fill(user.password);
  await form.getByRole("button", { name: "Create account" }).click();
}

export async function signIn(page: Page, email: string, password: string) {
  const form = page.getByRole("form", { name: "Sign in" });
  await form.getByLabel("Email").fill(email);
  await form.getByLabel("Password", { exact: true }).fill(password);
  await form.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page, user: User) {
  await page.getByRole("button", { name: user.name }).click();
  await page.getByRole("button", { name: "Sign out", exact: true }).click();
  await expect(page.getByRole("navigation", { name: "Account" }).getByRole("link", { name: "Sign in" })).toBeVisible();
}

/** Drops the console lines Chromium writes for refused requests the test provokes on purpose. */
export function allowHttpErrors(pageErrors: string[], statuses: number[]) {
  const expected = new RegExp(`status of (${statuses.join("|")}) `);
  for (let i = pageErrors.length - 1; i >= 0; i--) if (expected.test(pageErrors[i]!)) pageErrors.splice(i, 1);
}

export async function newPage(browser: Browser, baseURL: string | undefined): Promise<Page> {
  const context = await browser.newContext({ baseURL });
  return context.newPage();
}

export const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
