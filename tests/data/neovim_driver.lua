-- Drives a headless Neovim for tests/test_neovim.py: runs the steps of a JSON script through the
-- editor's own LSP client (started by the README's recipe, loaded with -u) and writes what the
-- user would see after each step (buffer lines and vim.diagnostic.get()) as JSON, then quits.
--
-- Runs unchanged on Neovim 0.7 (Debian 12's package) and later: only APIs that 0.7 has.
-- Steps: {op = "open", file}, {op = "set_lines", file, start, stop, lines} (0-based, end-exclusive,
-- as nvim_buf_set_lines), {op = "code_action", file, line, col, title} (cursor at the 0-based
-- line and byte column, picks the first offered action whose title starts with `title`),
-- {op = "write_all"} (:wall).
-- Each step waits until the server has published diagnostics for every open buffer at the
-- buffer's current version, after the step.

local script = vim.fn.json_decode(table.concat(vim.fn.readfile(vim.env.PIPELINT_NVIM_SCRIPT), '\n'))
local out_path = vim.env.PIPELINT_NVIM_OUT
local timeout_ms = tonumber(vim.env.PIPELINT_NVIM_TIMEOUT_MS or '30000')

-- Every publishDiagnostics notification, in order, next to the editor's own handling of it.
local published = {}
local default_handler = vim.lsp.handlers['textDocument/publishDiagnostics']
vim.lsp.handlers['textDocument/publishDiagnostics'] = function(err, result, ctx, config)
  default_handler(err, result, ctx, config)
  table.insert(published, { uri = result.uri, version = result.version })
end

local function pipelint_clients(bufnr)
  local found = {}
  -- vim.lsp.get_clients is 0.10+; buf_get_clients (0.7) is deprecated there.
  local clients = vim.lsp.get_clients and vim.lsp.get_clients({ bufnr = bufnr }) or vim.lsp.buf_get_clients(bufnr)
  for _, client in pairs(clients) do
    if client.name == 'pipelint' then
      table.insert(found, client)
    end
  end
  return found
end

local buffers = {} -- file (as given in the script) -> bufnr

local function current_version(bufnr)
  return vim.lsp.util.buf_versions[bufnr] or vim.api.nvim_buf_get_changedtick(bufnr)
end

-- Until every open buffer has had a publish, after index `since`, at its current version.
local function wait_for_publish(since)
  return vim.wait(timeout_ms, function()
    for _, bufnr in pairs(buffers) do
      if #pipelint_clients(bufnr) == 0 then
        return false
      end
      local uri = vim.uri_from_bufnr(bufnr)
      local seen = false
      for i = since + 1, #published do
        local p = published[i]
        if p.uri == uri and (p.version == nil or p.version == vim.NIL or p.version == current_version(bufnr)) then
          seen = true
        end
      end
      if not seen then
        return false
      end
    end
    return true
  end, 20)
end

local function diagnostics_of(bufnr)
  local found = {}
  for _, d in ipairs(vim.diagnostic.get(bufnr)) do
    if d.source == 'pipelint' then
      table.insert(found, {
        code = d.code, lnum = d.lnum, col = d.col, end_lnum = d.end_lnum, end_col = d.end_col,
        severity = d.severity, message = d.message,
      })
    end
  end
  return found
end

local function snapshot(step, extra)
  local state = { step = step, buffers = {} }
  -- Every loaded buffer with a file name: the opened ones and any that a code action created.
  for _, bufnr in ipairs(vim.api.nvim_list_bufs()) do
    local file = vim.api.nvim_buf_get_name(bufnr)
    if file ~= '' and vim.api.nvim_buf_is_loaded(bufnr) then
      state.buffers[file] = {
        lines = vim.api.nvim_buf_get_lines(bufnr, 0, -1, false),
        modified = vim.api.nvim_buf_get_option(bufnr, 'modified'),
        clients = #pipelint_clients(bufnr),
        diagnostics = diagnostics_of(bufnr),
      }
    end
  end
  for k, v in pairs(extra or {}) do
    state[k] = v
  end
  return state
end

local ops = {}

function ops.open(step)
  local since = #published
  vim.cmd('edit ' .. vim.fn.fnameescape(step.file))
  buffers[step.file] = vim.api.nvim_get_current_buf()
  return { waited = wait_for_publish(since), filetype = vim.bo.filetype }
end

function ops.set_lines(step)
  local since = #published
  local bufnr = buffers[step.file]
  vim.api.nvim_buf_set_lines(bufnr, step.start, step.stop, false, step.lines)
  return { waited = wait_for_publish(since) }
end

function ops.code_action(step)
  local bufnr = buffers[step.file]
  vim.api.nvim_set_current_buf(bufnr)
  vim.api.nvim_win_set_cursor(0, { step.line + 1, step.col })
  local offered, chosen, answered = {}, nil, false
  local ticks = {} -- of every buffer: the action may edit or create another file
  for _, b in ipairs(vim.api.nvim_list_bufs()) do
    ticks[b] = vim.api.nvim_buf_get_changedtick(b)
  end
  local function changed()
    for _, b in ipairs(vim.api.nvim_list_bufs()) do
      if ticks[b] ~= vim.api.nvim_buf_get_changedtick(b) then
        return true
      end
    end
    return false
  end
  -- The menu the user would pick from: choose the action the step names.
  local select = vim.ui.select
  vim.ui.select = function(items, opts, on_choice)
    answered = true
    for _, item in ipairs(items) do
      local title = opts.format_item and opts.format_item(item) or tostring(item)
      table.insert(offered, title)
      if chosen == nil and title:sub(1, #step.title) == step.title then
        chosen = item
      end
    end
    on_choice(chosen)
  end
  local since = #published
  vim.lsp.buf.code_action()
  local applied = vim.wait(timeout_ms, function()
    return answered and (chosen == nil or changed())
  end, 20)
  vim.ui.select = select
  local waited = chosen ~= nil and applied and wait_for_publish(since)
  return { offered = offered, chose = chosen ~= nil, applied = applied, waited = waited }
end

function ops.write_all(step)
  vim.cmd('silent wall')
  return {}
end

local results = {}
local ok, err = pcall(function()
  for i, step in ipairs(script) do
    local extra = ops[step.op](step)
    table.insert(results, snapshot(i, extra))
  end
end)
if not ok then
  table.insert(results, { error = tostring(err) })
end
vim.fn.writefile({ vim.fn.json_encode(results) }, out_path)
vim.cmd('qall!')
