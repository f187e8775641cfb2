"""A tiny OpenID Connect provider for the tests, on 127.0.0.1 in a thread: discovery, authorize (answers at
once for the person the test names), token (an RS256 id_token with the nonce; PKCE checked), userinfo
(the claims the test set) and jwks."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlparse

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa


class Provider:
    def __init__(self, *, client_id: str = "jiazhan", client_secret: str = "s3cret"):
        self.client_id, self.client_secret = client_id, client_secret
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "test-key"
        self.claims: dict = {}  # what userinfo answers for the next sign-in
        self.codes: dict[str, dict] = {}
        self.tokens: dict[str, dict] = {}
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Provider:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def settings(self) -> dict:
        return {"OIDC_OP_AUTHORIZATION_ENDPOINT": f"{self.base}/authorize",
                "OIDC_OP_TOKEN_ENDPOINT": f"{self.base}/token", "OIDC_OP_USER_ENDPOINT": f"{self.base}/userinfo",
                "OIDC_OP_JWKS_ENDPOINT": f"{self.base}/jwks", "OIDC_RP_CLIENT_ID": self.client_id,
                "OIDC_RP_CLIENT_SECRET": self.client_secret}

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "alg": "RS256", "use": "sig"}]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, body: dict, status: int = 200) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                url = urlparse(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                if url.path == "/.well-known/openid-configuration":
                    return self._json({"issuer": provider.base, **provider.settings()})
                if url.path == "/jwks":
                    return self._json(provider.jwks())
                if url.path == "/authorize":
                    if query.get("client_id") != provider.client_id:
                        return self._json({"error": "unauthorized_client"}, 400)
                    code = secrets.token_urlsafe(16)
                    provider.codes[code] = query
                    self.send_response(302)
                    self.send_header("Location", f"{query['redirect_uri']}?"
                                     + urlencode({"code": code, "state": query["state"]}))
                    self.end_headers()
                    return None
                if url.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    if token not in provider.tokens:
                        return self._json({"error": "invalid_token"}, 401)
                    return self._json(provider.tokens[token])
                return self._json({"error": "not_found"}, 404)

            def do_POST(self):
                if urlparse(self.path).path != "/token":
                    return self._json({"error": "not_found"}, 404)
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                asked = provider.codes.pop(form.get("code", ""), None)
                if asked is None or form.get("client_secret") != provider.client_secret \
                        or form.get("redirect_uri") != asked["redirect_uri"]:
                    return self._json({"error": "invalid_grant"}, 400)
                if "code_challenge" in asked:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != asked["code_challenge"]:
                        return self._json({"error": "invalid_grant"}, 400)
                now = int(time.time())
                access = secrets.token_urlsafe(16)
                provider.tokens[access] = dict(provider.claims)
                id_token = jwt.encode({"iss": provider.base, "aud": provider.client_id, "sub": "person-1",
                                       "iat": now, "exp": now + 300, "nonce": asked.get("nonce")},
                                      provider.key, algorithm="RS256", headers={"kid": provider.kid})
                return self._json({"access_token": access, "token_type": "Bearer", "id_token": id_token,
                                   "expires_in": 300})

        return Handler
