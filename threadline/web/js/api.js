/* The JSON API as the page calls it: same-origin cookies, the page's CSRF token on
   changes, and the server's error message (a string, or the fields that failed). */

function problem(body, response) {
  if (body && typeof body.detail === "string") return body.detail;
  if (body && Array.isArray(body.detail)) {
    return body.detail.map(function (d) { return (d.loc || []).join(".") + ": " + d.msg; }).join("; ");
  }
  return response.status + " " + response.statusText;
}

/** GET or POST JSON; resolves to the body, rejects with an Error saying what failed. */
export function call(url, csrf, body) {
  var headers = { Accept: "application/json" };
  var options = { credentials: "same-origin", headers: headers };
  if (body !== undefined) {
    options.method = "POST";
    headers["Content-Type"] = "application/json";
    if (csrf) headers["X-CSRF-Token"] = csrf;
    options.body = JSON.stringify(body);
  }
  return fetch(url, options).then(function (response) {
    return response.json().catch(function () { return null; }).then(function (found) {
      if (!response.ok) throw new Error(problem(found, response));
      return found;
    });
  });
}
