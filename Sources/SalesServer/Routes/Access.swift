import Foundation
import Hummingbird
import SalesCore
import SalesImport

/// A request whose sender has signed in. Signed-in route groups convert their context to it, and the
/// conversion fails with a 401: handlers get a viewer, never nil, and check nobody's sign-in themselves.
struct SignedInContext: ChildRequestContext {
    var coreContext: CoreRequestContextStorage
    /// The request as `Authentication` left it: language, CSRF token, session, an uploaded form.
    let request: AppContext
    let viewer: Viewer

    init(context: AppContext) throws {
        coreContext = context.coreContext
        request = context
        viewer = try context.requireViewer()
    }

    var language: Language { request.language }
    var csrf: String? { request.csrf }
    var responseEncoder: JSONEncoder { request.responseEncoder }
}

/// Sends a browser without a session to the sign-in page, to come back afterwards. Only for pages: the API
/// and the live stream answer 401, which the conversion to `SignedInContext` throws.
struct SignInForPages: RouterMiddleware {
    func handle(
        _ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response
    ) async throws -> Response {
        guard context.viewer != nil else { return toSignIn(request) }
        return try await next(request, context)
    }
}

/// Lets admins through; anyone else gets `refusal` (a 403 page, or a 403 error naming what only admins may do).
struct AdminsOnly: RouterMiddleware {
    let refusal: @Sendable (SignedInContext) throws -> Response

    func handle(
        _ request: Request, context: SignedInContext, next: (Request, SignedInContext) async throws -> Response
    ) async throws -> Response {
        guard context.viewer.user.role == .admin else { return try refusal(context) }
        return try await next(request, context)
    }
}

/// The routes by who may use them: each controller registers its handlers in the groups they belong to,
/// and sign-in and roles are checked here, once.
struct RouteGroups {
    /// Anyone: sign-in, sign-out, the language switch (which needs a session but sends a browser without
    /// one to the sign-in page itself).
    let anyone: Router<AppContext>
    /// Pages for someone signed in; without a session, the sign-in page.
    let pages: RouterGroup<SignedInContext>
    /// The live-update stream: a 401 without a session.
    let streams: RouterGroup<SignedInContext>
    /// `/api/v1`: a 401 without a session or an API token.
    let api: RouterGroup<SignedInContext>

    init(_ router: Router<AppContext>) {
        anyone = router
        pages = router.group().add(middleware: SignInForPages()).group(context: SignedInContext.self)
        streams = router.group().group(context: SignedInContext.self)
        api = router.group("api/v1").group(context: SignedInContext.self)
    }

    /// Admin pages: a 403 page for anyone else.
    func adminPages(refusal: @escaping @Sendable (SignedInContext) throws -> Response) -> RouterGroup<SignedInContext> {
        pages.group().add(middleware: AdminsOnly(refusal: refusal))
    }

    /// API routes that write data: only an admin or an admin's token (`sending`: what, for the message).
    func adminAPI(sending what: LocalizedText, integration: LocalizedText) -> RouterGroup<SignedInContext> {
        api.group().add(
            middleware: AdminsOnly { _ in
                throw APIError(
                    .forbidden,
                    LocalizedText(
                        "api.admins_only.refused", ["what": .localized(what), "integration": .localized(integration)]))
            })
    }
}
