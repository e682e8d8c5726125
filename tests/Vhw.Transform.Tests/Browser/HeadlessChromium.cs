using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vhw.Transform.Tests.Browser;

/// <summary>What a page did when headless Chromium loaded it.</summary>
public sealed record PageCheck(IReadOnlyList<string> ConsoleErrors, int Images, IReadOnlyList<string> BrokenImages, byte[] Screenshot);

/// <summary>
/// Drives Debian's <c>chromium</c> over the DevTools protocol (a WebSocket, no extra packages): loads a page, collects
/// console errors, uncaught exceptions and error log entries, decodes every &lt;img&gt; with HTMLImageElement.decode(),
/// and takes a PNG screenshot. The timeouts only keep a hung browser from hanging the test run; nothing asserts on time.
/// </summary>
public sealed class HeadlessChromium : IAsyncDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly ConcurrentQueue<string> _errors = new();
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;
    private Task _receiver = Task.CompletedTask;

    private HeadlessChromium(Process process, string profile) { _process = process; _profile = profile; }

    /// <summary>The browser binary: $VHW_CHROMIUM, else chromium / chromium-browser / google-chrome on PATH; null when none.</summary>
    public static string? FindBinary()
    {
        if (Environment.GetEnvironmentVariable("VHW_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured)) return configured;
        var dirs = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        return new[] { "chromium", "chromium-browser", "google-chrome" }
            .SelectMany(name => dirs.Select(d => Path.Combine(d, name))).FirstOrDefault(File.Exists);
    }

    public static async Task<PageCheck> CheckAsync(string binary, string htmlPath, CancellationToken ct)
    {
        await using var browser = await StartAsync(binary, ct);
        return await browser.LoadAsync(new Uri(Path.GetFullPath(htmlPath)).AbsoluteUri, ct);
    }

    private static async Task<HeadlessChromium> StartAsync(string binary, CancellationToken ct)
    {
        string profile = Directory.CreateTempSubdirectory("vhw-chromium-").FullName;
        var start = new ProcessStartInfo(binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in new[] { "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                     "--hide-scrollbars", "--remote-debugging-port=0", $"--user-data-dir={profile}", "--window-size=1280,1024", "about:blank" })
            start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {binary}");
        var browser = new HeadlessChromium(process, profile);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Patience);
            _ = process.StandardOutput.ReadToEndAsync(timeout.Token);
            string? line;
            int port = 0;
            while (port == 0 && (line = await process.StandardError.ReadLineAsync(timeout.Token)) is not null)
                if (line.StartsWith("DevTools listening on ws://", StringComparison.Ordinal))
                    port = new Uri(line["DevTools listening on ".Length..].Trim()).Port;
            if (port == 0) throw new InvalidOperationException($"{binary} exited without opening the DevTools port");
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);

            using var http = new HttpClient();
            var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", timeout.Token))!.AsArray();
            string pageSocket = targets.First(t => (string?)t!["type"] == "page")!["webSocketDebuggerUrl"]!.GetValue<string>();
            await browser._socket.ConnectAsync(new Uri(pageSocket), timeout.Token);
            browser._receiver = Task.Run(browser.ReceiveLoopAsync, CancellationToken.None);
            foreach (string domain in new[] { "Runtime.enable", "Log.enable", "Page.enable" })
                await browser.SendAsync(domain, null, timeout.Token);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task<PageCheck> LoadAsync(string url, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Patience);
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, timeout.Token);
        await _loaded.Task.WaitAsync(timeout.Token);

        const string decodeAll = """
            Promise.all(Array.from(document.images).map((img, i) => img.decode()
                .then(() => (img.naturalWidth > 0 && img.naturalHeight > 0) ? null : `image ${i} has no pixels`)
                .catch(e => `image ${i} (${(img.alt || img.src).slice(0, 60)}) does not decode: ${e}`)))
              .then(r => JSON.stringify({ images: r.length, broken: r.filter(x => x !== null) }))
            """;
        var evaluated = await SendAsync("Runtime.evaluate",
            new JsonObject { ["expression"] = decodeAll, ["awaitPromise"] = true, ["returnByValue"] = true }, timeout.Token);
        var images = JsonNode.Parse(evaluated["result"]!["value"]!.GetValue<string>())!;
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" }, timeout.Token);
        return new PageCheck(_errors.ToArray(), images["images"]!.GetValue<int>(),
            images["broken"]!.AsArray().Select(b => b!.GetValue<string>()).ToList(),
            Convert.FromBase64String(shot["data"]!.GetValue<string>()));
    }

    private async Task<JsonNode> SendAsync(string method, JsonObject? parameters, CancellationToken ct)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, ct);
        var response = await reply.Task.WaitAsync(ct);
        if (response["error"] is { } error) throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        return response["result"] ?? new JsonObject();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        try
        {
            while (_socket.State == WebSocketState.Open && !_stop.IsCancellationRequested)
            {
                var part = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (part.MessageType == WebSocketMessageType.Close) break;
                message.Write(buffer, 0, part.Count);
                if (!part.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!;
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var reply)) reply.TrySetResult(node);
                else if (node["method"] is { } method) OnEvent(method.GetValue<string>(), node["params"]);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // the browser went away; pending calls time out
        }
    }

    private void OnEvent(string method, JsonNode? p)
    {
        if (method == "Page.loadEventFired")
        {
            _loaded.TrySetResult();
        }
        else if (method == "Runtime.consoleAPICalled" && Text(p, "type") is "error" or "assert")
        {
            var args = p!["args"]!.AsArray().Select(a => a is null ? "" : a["value"]?.ToJsonString() ?? Text(a, "description"));
            _errors.Enqueue($"console.{Text(p, "type")}: {string.Join(" ", args)}");
        }
        else if (method == "Runtime.exceptionThrown")
        {
            var details = p?["exceptionDetails"];
            _errors.Enqueue("uncaught: " + (Text(details?["exception"], "description") ?? Text(details, "text")));
        }
        else if (method == "Log.entryAdded" && Text(p?["entry"], "level") == "error")
        {
            _errors.Enqueue($"log: {Text(p!["entry"], "text")} {Text(p["entry"], "url")}");
        }
    }

    private static string? Text(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue(out string? s) ? s : null;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { if (!_process.HasExited) _process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30)).ContinueWith(_ => { });
        await _receiver.ContinueWith(_ => { });
        _socket.Dispose();
        _process.Dispose();
        _stop.Dispose();
        try { Directory.Delete(_profile, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
