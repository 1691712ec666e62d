// The chat page of `stack serve`: asks through the streaming chat route with the page token the
// server put in this page, starts every question with its own traceparent, shows the answer as it
// streams, links it to its trace in Phoenix, takes thumbs up/down feedback with the answer's token, and
// reports what the user saw (time to first token, time to the whole answer, errors) as browser spans.
"use strict";

(() => {
  const meta = (name) => document.querySelector(`meta[name="${name}"]`)?.content ?? "";
  const pageToken = meta("stack-page-token");
  const phoenixURL = meta("stack-phoenix-url").replace(/\/+$/, "");
  // Every trace id of this page load starts with the prefix the page token was signed for.
  const tracePrefix = pageToken.split(".")[3] ?? "";
  const log = document.getElementById("log");
  const status = document.getElementById("status");
  const form = document.getElementById("ask");
  const question = document.getElementById("question");
  const send = document.getElementById("send");
  const history = [];

  const now = () => performance.timeOrigin + performance.now();
  const hex = (bytes) => Array.from(crypto.getRandomValues(new Uint8Array(bytes)), (b) => b.toString(16).padStart(2, "0")).join("");

  function setStatus(text, isError = false) {
    status.textContent = text;
    status.classList.toggle("error", isError);
  }

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function addTurn(who, text) {
    const item = element("li", `turn ${who}`);
    item.append(element("span", "who", who === "user" ? "You" : "Answer"));
    const body = element("p", "text", text);
    item.append(body);
    log.append(item);
    item.scrollIntoView({ block: "end" });
    return { item, body };
  }

  // What an error answer from the API says, in words a person can act on.
  async function explain(response) {
    let message = "";
    try {
      message = (await response.json())?.error?.message ?? "";
    } catch (_) {
      // Not JSON (a proxy's page): the status says enough.
    }
    switch (response.status) {
      case 401: return "This page's session has expired. Reload the page to keep asking.";
      case 403: return `The server refused this page: ${message || "forbidden"}. Reload the page.`;
      case 404: return "The chat page is turned off on this server.";
      case 429: return `Too many questions at once. ${message}`;
      case 502: case 504: return `The model server did not answer. ${message}`;
      default: return `The server answered ${response.status}. ${message}`;
    }
  }

  // Reads the server-sent events of a streamed chat completion, calling onText for each piece.
  async function readStream(response, onText) {
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const event = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        for (const line of event.split("\n")) {
          if (!line.startsWith("data:")) continue;
          const data = line.slice(5).trim();
          if (data === "[DONE]") return;
          const chunk = JSON.parse(data);
          if (chunk.error) throw new Error(chunk.error.message || "the model server failed");
          const text = chunk.choices?.[0]?.delta?.content;
          if (text) onText(text);
        }
      }
    }
  }

  async function postJSON(path, body) {
    return fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Page-Token": pageToken },
      body: JSON.stringify(body),
    });
  }

  // Reports what the user saw as spans of the answer's trace, children of the question's traceparent.
  async function reportTiming(timing) {
    if (!timing.traceId || !timing.answerToken) return;
    const attributes = {
      "browser.status": timing.error ? "error" : "ok",
      "browser.answer_chars": timing.chars,
      "browser.user_agent": navigator.userAgent.slice(0, 200),
    };
    if (timing.firstToken) attributes["browser.time_to_first_token_ms"] = Math.round(timing.firstToken - timing.start);
    if (timing.end) attributes["browser.time_to_full_answer_ms"] = Math.round(timing.end - timing.start);
    const spans = [{
      name: "browser.question",
      parent_span_id: timing.parentSpanId,
      start_time_ms: timing.start,
      end_time_ms: timing.end ?? now(),
      attributes,
      error: timing.error ? String(timing.error).slice(0, 500) : null,
    }];
    if (timing.firstToken) {
      spans.push({ name: "browser.first_token", parent_span_id: timing.parentSpanId, start_time_ms: timing.start, end_time_ms: timing.firstToken });
    }
    try {
      const response = await postJSON("/v1/browser-spans", { trace_id: timing.traceId, token: timing.answerToken, spans });
      timing.reported = response.status === 202;
      document.body.dataset.lastTimingReport = String(response.status);
    } catch (_) {
      document.body.dataset.lastTimingReport = "network-error";
    }
  }

  function addFeedback(turn, traceId, answerToken) {
    const box = element("div", "feedback");
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Rate this answer");
    const comment = element("input");
    comment.type = "text";
    comment.maxLength = 1000;
    comment.placeholder = "Optional comment";
    comment.setAttribute("aria-label", "Optional comment on this answer");
    // Words rather than emoji: they read the same with any font and any screen reader.
    const up = element("button", "up", "▲ Helpful");
    const down = element("button", "down", "▼ Not helpful");
    up.type = down.type = "button";
    const result = element("span", "feedback-result");
    result.setAttribute("role", "status");
    const give = async (label, score, button) => {
      up.disabled = down.disabled = comment.disabled = true;
      button.setAttribute("aria-pressed", "true");
      try {
        const body = { trace_id: traceId, feedback_token: answerToken, label, score };
        if (comment.value.trim()) body.explanation = comment.value.trim();
        const response = await postJSON("/v1/feedback", body);
        if (response.status === 200) result.textContent = "Thanks, your feedback is on the trace.";
        else if (response.status === 202) result.textContent = "Thanks, saved; it reaches Phoenix as soon as Phoenix has the trace.";
        else {
          result.textContent = await explain(response);
          result.classList.add("error");
        }
        turn.item.dataset.feedback = String(response.status);
      } catch (_) {
        result.textContent = "The server cannot be reached; your feedback was not sent.";
        result.classList.add("error");
        up.disabled = down.disabled = comment.disabled = false;
        button.removeAttribute("aria-pressed");
      }
    };
    up.addEventListener("click", () => give("thumbs_up", 1, up));
    down.addEventListener("click", () => give("thumbs_down", 0, down));
    box.append(up, down, comment, result);
    turn.item.append(box);
  }

  // The passages the answer was given, numbered as the model was asked to cite them.
  function passageList(passages) {
    const box = element("details", "passages");
    box.open = true;
    box.append(element("summary", "", `Passages (${passages.length})`));
    const list = element("ol");
    for (const passage of passages) {
      const item = element("li");
      item.append(element("strong", "", passage.title || passage.source || passage.id || "passage"));
      if (passage.source) item.append(element("span", "source", ` ${passage.source}`));
      item.append(element("p", "", passage.text));
      list.append(item);
    }
    box.append(list);
    return box;
  }

  async function ask(text) {
    const traceId = tracePrefix + hex(8);
    const parentSpanId = hex(8);
    const timing = { traceId, parentSpanId, start: now(), chars: 0 };
    addTurn("user", text);
    const turn = addTurn("assistant", "");
    turn.item.setAttribute("aria-busy", "true");
    history.push({ role: "user", content: text });
    setStatus("Looking for passages…");
    let answer = "";
    let passages = [];
    const traceparent = `00-${traceId}-${parentSpanId}-01`;
    try {
      let response;
      try {
        // The passages the index holds for the question, in the same trace; the model answers from them.
        const found = await fetch("/v1/passages", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Page-Token": pageToken, traceparent },
          body: JSON.stringify({ query: text, limit: 3 }),
        });
        if ([401, 403, 404, 429].includes(found.status)) throw new Error(await explain(found));
        if (found.ok) passages = (await found.json()).passages ?? [];
        setStatus("Waiting for the model…");
        const context = passages.length === 0 ? [] : [{
          role: "system",
          content: "Answer from these passages and cite them by number, like [1].\n\n"
            + passages.map((p, i) => `[${i + 1}] ${p.title ?? p.source ?? ""}\n${p.text}`).join("\n\n"),
        }];
        response = await fetch("/v1/chat/completions", {
          method: "POST",
          headers: { "Content-Type": "application/json", "X-Page-Token": pageToken, traceparent },
          body: JSON.stringify({ messages: context.concat(history.slice(-6)), stream: true, max_tokens: 200 }),
        });
      } catch (error) {
        if (error instanceof TypeError) throw new Error("The service cannot be reached. Check that `stack serve` is running, then ask again.");
        throw error;
      }
      timing.traceId = response.headers.get("X-Trace-Id") ?? traceId;
      timing.answerToken = response.headers.get("X-Feedback-Token");
      if (!response.ok) throw new Error(await explain(response));
      setStatus("Answering…");
      await readStream(response, (piece) => {
        if (timing.firstToken === undefined) timing.firstToken = now();
        answer += piece;
        turn.body.textContent = answer;
      });
      timing.end = now();
      timing.chars = answer.length;
      if (!answer.trim()) turn.body.textContent = "(The model gave an empty answer.)";
      history.push({ role: "assistant", content: answer });
      setStatus(`Answered in ${((timing.end - timing.start) / 1000).toFixed(1)} s.`);
    } catch (error) {
      timing.error = error.message;
      timing.end = now();
      history.pop();
      turn.body.textContent = answer;
      const message = element("p", "error", error.message);
      turn.item.append(message);
      setStatus(error.message, true);
    } finally {
      turn.item.removeAttribute("aria-busy");
    }
    const meta = element("div", "meta");
    if (timing.firstToken) meta.append(element("span", "", `first token ${Math.round(timing.firstToken - timing.start)} ms`));
    meta.append(element("span", "", `trace ${timing.traceId}`));
    if (phoenixURL) {
      const link = element("a", "trace-link", "View trace in Phoenix");
      link.href = `${phoenixURL}/redirects/traces/${encodeURIComponent(timing.traceId)}`;
      link.target = "_blank";
      link.rel = "noopener noreferrer";
      meta.append(link);
    }
    turn.item.append(meta);
    if (passages.length > 0) turn.item.append(passageList(passages));
    turn.item.dataset.traceId = timing.traceId;
    if (timing.answerToken && !timing.error) addFeedback(turn, timing.traceId, timing.answerToken);
    turn.item.dataset.done = "true";
    await reportTiming(timing);
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const text = question.value.trim();
    if (!text) return;
    question.value = "";
    send.disabled = question.disabled = true;
    try {
      await ask(text);
    } finally {
      send.disabled = question.disabled = false;
      question.focus();
    }
  });
  question.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  if (!pageToken || !tracePrefix) setStatus("This page has no page token; reload it from `stack serve`.", true);
  question.focus();
})();
