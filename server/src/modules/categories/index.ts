import { Elysia } from "elysia";
import type { Database } from "../../db/client.ts";
import { withTenant } from "../../db/tenant-scope.ts";
import { categoryJson } from "../../notification-json.ts";
import { adminAuth, type TokenRules, userAuth } from "../auth/index.ts";
import { categoryBody, categoryList, categoryParams } from "./model.ts";
import { deleteCategory, listCategories, listTenantCategories, putCategory } from "./service.ts";

/** `GET /v1/categories`: the user's tenant's categories, for the widget's tabs and labels. */
export function categoriesModule(db: Database, tokens: TokenRules) {
  return new Elysia({ name: "categories" }).use(userAuth(tokens)).get(
    "/v1/categories",
    async ({ user }) => ({
      categories: await withTenant(db, user.tenantId, (tx) => listCategories(tx, user.tenantId), {
        accessMode: "read only",
      }),
    }),
    {
      response: categoryList,
      detail: {
        summary: "The tenant's categories, in tab order, with their labels",
        tags: ["inbox"],
        security: [{ userToken: [] }],
      },
    },
  );
}

/** The operator's category calls (admin token), on the owner's database. */
export function categoryAdminModule(db: Database, adminToken: string | undefined) {
  const detail = (summary: string) => ({ summary, tags: ["admin"] });
  return new Elysia({ name: "category-admin", prefix: "/v1/admin/tenants/:id/categories" })
    .use(adminAuth(adminToken))
    .get("", async ({ params }) => ({ categories: await listTenantCategories(db, params.id) }), {
      response: categoryList,
      detail: detail("A tenant's categories, in tab order"),
    })
    .put("/:key", ({ params, body }) => putCategory(db, params.id, params.key, body), {
      params: categoryParams,
      body: categoryBody,
      response: categoryJson,
      detail: detail(
        "Declare a category, or change its labels, position and whether users may mute it",
      ),
    })
    .delete(
      "/:key",
      async ({ params, set }) => {
        await deleteCategory(db, params.id, params.key);
        set.status = 204;
      },
      {
        params: categoryParams,
        detail: detail("Remove a category no notification has, with users' preferences for it"),
      },
    );
}
