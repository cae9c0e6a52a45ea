" precis.vim - answers from web pages, streamed from `precis serve`.
" Maintainer: the precis authors
" License: same as precis
"
" One `precis serve` process per editor, started on the first request and
" started again on the first request after it died. It speaks newline-delimited
" JSON-RPC 2.0 (editors/PROTOCOL.md). Vim talks to it with job_start() and
" Neovim with jobstart(); both feed whole lines to s:on_line(), and everything
" from there on is one code path.
"
" Every request owns a section of the [precis] buffer: a heading line, a blank
" line and the answer's text, which grows at the section's last line. Sections
" are laid out in the order the commands were given; when an answer above
" another grows, the sections below it move down, so answers that stream at the
" same time never mix.

scriptencoding utf-8
let s:save_cpo = &cpo
set cpo&vim

let s:is_nvim = has('nvim')
let s:gen = 0          " generation of the server process (one per start)
let s:job = 0          " Vim: job object, Neovim: job id
let s:running = 0      " a server of generation s:gen was started and has not died
let s:partial = ''     " Neovim: the unfinished last line of stdout
let s:stderr = []      " the server's last lines on stderr (for error messages)
let s:next_id = 1
let s:reqs = {}        " id -> request record, for every request in flight
let s:init_id = -1
let s:info = {}        " the initialize result
let s:bufnr = -1

" ---------------------------------------------------------------------------
" Small helpers

function! s:str(v) abort
  return type(a:v) == v:t_string ? a:v : (type(a:v) == v:t_number ? string(a:v) : '')
endfunction

" Echoes one line (cut to the screen's width: no hit-enter prompt while you
" type; the whole message is in the [precis] buffer and g:precis_last_error).
function! s:echoerr(msg) abort
  let line = substitute(a:msg, '[\r\n].*', '', '')
  let room = &columns - 12
  if strdisplaywidth(line) > room && room > 20
    let line = strcharpart(line, 0, room - 1) . '…'
  endif
  echohl ErrorMsg
  echomsg 'precis: ' . line
  echohl None
endfunction

" ---------------------------------------------------------------------------
" The server process

function! s:alive() abort
  if !s:running
    return 0
  endif
  if s:is_nvim
    return jobwait([s:job], 0)[0] == -1
  endif
  return job_status(s:job) ==# 'run'
endfunction

function! s:command() abort
  let args = get(g:, 'precis_args', [])
  if type(args) == v:t_string
    let args = split(args)
  endif
  return [get(g:, 'precis_program', 'precis'), 'serve'] + args
endfunction

" Starts `precis serve` unless it runs; sends initialize first. Returns 0 when
" it cannot be started.
function! s:ensure() abort
  if s:alive()
    return 1
  endif
  let cmd = s:command()
  if !executable(cmd[0])
    return 0
  endif
  let s:running = 0
  let s:gen += 1
  let s:partial = ''
  let s:stderr = []
  if s:is_nvim
    try
      let s:job = jobstart(cmd, {
            \ 'on_stdout': function('s:nvim_out', [s:gen]),
            \ 'on_stderr': function('s:nvim_err', [s:gen]),
            \ 'on_exit': function('s:nvim_exit', [s:gen]),
            \ })
    catch
      let s:job = -1
    endtry
    let ok = s:job > 0
  else
    let s:job = job_start(cmd, {
          \ 'mode': 'nl',
          \ 'noblock': 1,
          \ 'out_cb': function('s:vim_out', [s:gen]),
          \ 'err_cb': function('s:vim_err', [s:gen]),
          \ 'close_cb': function('s:vim_close', [s:gen]),
          \ 'exit_cb': function('s:vim_exit', [s:gen]),
          \ })
    let ok = job_status(s:job) ==# 'run'
  endif
  if !ok
    return 0
  endif
  let s:running = 1
  let s:init_id = s:next_id
  let s:next_id += 1
  call s:send({'jsonrpc': '2.0', 'id': s:init_id, 'method': 'initialize',
        \ 'params': {'client': s:is_nvim ? 'neovim' : 'vim'}})
  return 1
endfunction

function! s:send(msg) abort
  let line = json_encode(a:msg) . "\n"
  try
    if s:is_nvim
      call chansend(s:job, line)
    else
      call ch_sendraw(s:job, line)
    endif
  catch
    call s:died(s:gen, 'cannot write to precis serve: ' . v:exception)
    return 0
  endtry
  return 1
endfunction

function! s:vim_out(gen, ch, msg) abort
  call s:on_line(a:gen, a:msg)
endfunction

function! s:vim_err(gen, ch, msg) abort
  call s:on_stderr(a:gen, a:msg)
endfunction

" Vim calls close_cb after every out_cb: the output is complete.
function! s:vim_close(gen, ch) abort
  call s:died(a:gen, '')
endfunction

function! s:vim_exit(gen, job, status) abort
  if a:status != 0 && a:gen == s:gen
    call s:on_stderr(a:gen, 'exit status ' . a:status)
  endif
endfunction

" Neovim hands over chunks: the last item is the start of a line still to come.
function! s:nvim_out(gen, job, data, event) abort
  if a:gen != s:gen
    return
  endif
  let lines = copy(a:data)
  let lines[0] = s:partial . lines[0]
  let s:partial = remove(lines, -1)
  for l in lines
    call s:on_line(a:gen, l)
  endfor
endfunction

function! s:nvim_err(gen, job, data, event) abort
  for l in a:data
    if l !=# ''
      call s:on_stderr(a:gen, l)
    endif
  endfor
endfunction

function! s:nvim_exit(gen, job, status, event) abort
  if a:gen == s:gen && s:partial !=# ''
    let line = s:partial
    let s:partial = ''
    call s:on_line(a:gen, line)
  endif
  call s:died(a:gen, a:status != 0 ? 'exit status ' . a:status : '')
endfunction

function! s:on_stderr(gen, line) abort
  if a:gen != s:gen
    return
  endif
  call add(s:stderr, a:line)
  if len(s:stderr) > 20
    call remove(s:stderr, 0)
  endif
endfunction

" The server of generation gen is gone: every request it had ends with "error".
function! s:died(gen, why) abort
  if a:gen == s:gen
    let s:running = 0
  endif
  let why = a:why
  if why ==# ''
    let last = filter(copy(s:stderr), 'v:val =~# ''\S''')
    let why = empty(last) ? '' : last[-1]
  endif
  let msg = 'precis serve exited' . (why ==# '' ? '' : ': ' . why)
  for id in sort(map(keys(s:reqs), 'str2nr(v:val)'), 'n')
    let rec = get(s:reqs, id, {})
    if !empty(rec) && rec.gen == a:gen
      call s:finish(rec, 'error', msg)
    endif
  endfor
endfunction

" ---------------------------------------------------------------------------
" Messages from the server

function! s:on_line(gen, line) abort
  if a:line =~# '^\s*$'
    return
  endif
  try
    let msg = json_decode(a:line)
  catch
    call s:echoerr('not JSON from precis serve: ' . strpart(a:line, 0, 60))
    return
  endtry
  if type(msg) != v:t_dict
    return
  endif
  if has_key(msg, 'method')
    let p = get(msg, 'params', {})
    if type(p) != v:t_dict || !has_key(p, 'id')
      return
    endif
    let rec = get(s:reqs, s:str(p.id), {})
    if empty(rec)
      return
    endif
    if msg.method ==# 'meta'
      call s:on_meta(rec, p)
    elseif msg.method ==# 'delta'
      call s:append(rec, s:str(get(p, 'text', '')))
    elseif msg.method ==# 'progress'
      let rec.progress = s:str(get(p, 'message', ''))
    endif
    return
  endif
  let id = s:str(get(msg, 'id', ''))
  if id ==# string(s:init_id) && a:gen == s:gen
    if type(get(msg, 'result', 0)) == v:t_dict
      let s:info = msg.result
    elseif has_key(msg, 'error')
      call s:echoerr('initialize: ' . s:str(get(msg.error, 'message', '')))
    endif
    return
  endif
  let rec = get(s:reqs, id, {})
  if empty(rec)
    if has_key(msg, 'error') && type(msg.error) == v:t_dict
      call s:echoerr(s:str(get(msg.error, 'message', 'error')))
    endif
    return
  endif
  if has_key(msg, 'error')
    let err = type(msg.error) == v:t_dict ? msg.error : {}
    let code = get(err, 'code', 0)
    let text = s:str(get(err, 'message', 'error'))
    call s:finish(rec, code == -32800 ? 'cancelled' : 'error', text)
  else
    let res = get(msg, 'result', {})
    if rec.method ==# 'extract' && type(res) == v:t_dict
      let rec.title = s:str(get(res, 'title', ''))
      let rec.url = s:str(get(res, 'url', rec.url))
      call s:set_heading(rec)
      call s:append(rec, s:str(get(res, 'content', '')))
    endif
    call s:finish(rec, 'ok', '')
  endif
endfunction

function! s:on_meta(rec, p) abort
  let a:rec.title = s:str(get(a:p, 'title', ''))
  let url = s:str(get(a:p, 'url', ''))
  if url !=# ''
    let a:rec.url = url
  endif
  let a:rec.model = s:str(get(a:p, 'model', ''))
  call s:set_heading(a:rec)
endfunction

" An answer ends: set the status, mark an error or a cancel in the buffer,
" echo errors, fire User PrecisDone.
function! s:finish(rec, status, message) abort
  if !has_key(s:reqs, string(a:rec.id))
    return
  endif
  if a:status !=# 'ok' && get(a:rec, 'head', 0) > 0
    let mark = a:status ==# 'cancelled' ? '[precis: cancelled]' : '[precis: ' . a:message . ']'
    call s:append(a:rec, (s:last_text(a:rec) ==# '' ? '' : "\n") . mark)
  endif
  call remove(s:reqs, string(a:rec.id))
  call s:done(a:rec.id, a:status, a:message)
endfunction

function! s:done(id, status, message) abort
  let g:precis_last_status = a:status
  let g:precis_last_error = a:status ==# 'ok' ? '' : a:message
  let g:precis_last_id = a:id
  if a:status ==# 'error'
    call s:echoerr(a:message)
  endif
  if exists('#User#PrecisDone')
    silent doautocmd <nomodeline> User PrecisDone
  endif
endfunction

" ---------------------------------------------------------------------------
" The [precis] buffer

function! s:linecount(buf) abort
  return getbufinfo(a:buf)[0].linecount
endfunction

" The [precis] buffer, created or loaded again when needed.
function! s:buffer() abort
  if s:bufnr > 0 && bufexists(s:bufnr) && bufloaded(s:bufnr)
    return s:bufnr
  endif
  let fresh = !(s:bufnr > 0 && bufexists(s:bufnr))
  if fresh
    let s:bufnr = bufadd('[precis]')
  endif
  let b = s:bufnr
  call setbufvar(b, '&buftype', 'nofile')
  call setbufvar(b, '&bufhidden', 'hide')
  call setbufvar(b, '&swapfile', 0)
  call bufload(b)
  call setbufvar(b, '&buftype', 'nofile')
  call setbufvar(b, '&modifiable', 1)
  " Neovim reads a file that happens to be called "[precis]": drop it.
  if s:linecount(b) > 1 || getbufline(b, 1)[0] !=# ''
    silent call deletebufline(b, 1, '$')
  endif
  call setbufvar(b, '&modifiable', 0)
  call setbufvar(b, '&undolevels', -1)
  call setbufvar(b, '&buflisted', 1)
  if getbufvar(b, '&filetype') ==# ''
    call setbufvar(b, '&filetype', 'markdown')
  endif
  " Sections of answers in flight were in the old contents: give them new ones.
  for rec in s:active_all()
    call s:new_section(rec)
  endfor
  return b
endfunction

" Requests in flight that want a section, in the order they were made.
function! s:active_all() abort
  return sort(filter(values(s:reqs), 'has_key(v:val, ''head'')'), {a, b -> a.id - b.id})
endfunction

" Shows the [precis] buffer in a window of this tab (opening a split with
" g:precis_split when none shows it); the cursor stays where it was.
function! s:show() abort
  let b = s:buffer()
  for w in win_findbuf(b)
    if win_id2tabwin(w)[0] == tabpagenr()
      return
    endif
  endfor
  let here = win_getid()
  execute get(g:, 'precis_split', 'botright split')
  execute 'silent buffer' b
  setlocal nonumber norelativenumber
  call win_gotoid(here)
endfunction

function! s:heading(rec) abort
  let src = ''
  if get(a:rec, 'url', '') ==# ''
    let src = a:rec.label
  elseif get(a:rec, 'title', '') !=# ''
    let src = a:rec.title
  elseif get(a:rec, 'label', '') !=# ''
    let src = a:rec.label
  endif
  if get(a:rec, 'url', '') !=# ''
    let src = (src ==# '' || src ==# a:rec.url) ? '<' . a:rec.url . '>' : src . ' <' . a:rec.url . '>'
  endif
  if a:rec.method ==# 'ask'
    return '## ' . a:rec.question . ' — ' . src
  elseif a:rec.method ==# 'extract'
    return '## Extract: ' . src
  endif
  return '## ' . src
endfunction

" Puts a new section for rec at the end of the buffer.
function! s:new_section(rec) abort
  let b = s:bufnr
  let n = s:linecount(b)
  let follow = s:followers(b, n)
  call setbufvar(b, '&modifiable', 1)
  if n == 1 && getbufline(b, 1)[0] ==# ''
    call setbufline(b, 1, s:heading(a:rec))
    call appendbufline(b, 1, ['', ''])
    let a:rec.head = 1
  else
    call appendbufline(b, n, ['', s:heading(a:rec), '', ''])
    let a:rec.head = n + 2
  endif
  let a:rec.last = a:rec.head + 2
  call setbufvar(b, '&modifiable', 0)
  call s:follow(follow)
endfunction

" The windows showing buffer b (of n lines) whose cursor is on its last line.
function! s:followers(b, n) abort
  return filter(win_findbuf(a:b), 'line(''.'', v:val) >= ' . a:n)
endfunction

" Moves the cursor of these windows to the last line, keeping the end in view.
function! s:follow(wins) abort
  for w in a:wins
    call win_execute(w, 'keepjumps normal! G')
  endfor
endfunction

function! s:set_heading(rec) abort
  if get(a:rec, 'head', 0) <= 0 || !bufloaded(s:bufnr)
    return
  endif
  call setbufvar(s:bufnr, '&modifiable', 1)
  call setbufline(s:bufnr, a:rec.head, s:heading(a:rec))
  call setbufvar(s:bufnr, '&modifiable', 0)
endfunction

function! s:last_text(rec) abort
  if get(a:rec, 'head', 0) <= 0 || !bufloaded(s:bufnr)
    return ''
  endif
  let l = getbufline(s:bufnr, a:rec.last)
  return empty(l) ? '' : l[0]
endfunction

" Appends text verbatim to rec's section: the section's last line grows until
" a newline arrives. Sections below move down; windows whose cursor was on the
" buffer's last line keep following the end, other cursors stay put.
function! s:append(rec, text) abort
  if a:text ==# '' || !has_key(a:rec, 'head')
    return
  endif
  let b = s:buffer()
  if a:rec.head <= 0
    return
  endif
  let n = s:linecount(b)
  let follow = s:followers(b, n)
  if a:rec.last > n
    let a:rec.last = n
  endif
  let parts = split(a:text, "\n", 1)
  call setbufvar(b, '&modifiable', 1)
  call setbufline(b, a:rec.last, getbufline(b, a:rec.last)[0] . parts[0])
  let added = len(parts) - 1
  if added > 0
    call appendbufline(b, a:rec.last, parts[1:])
    for other in values(s:reqs)
      if other isnot a:rec && get(other, 'head', 0) > a:rec.last
        let other.head += added
        let other.last += added
      endif
    endfor
    let a:rec.last += added
  endif
  call setbufvar(b, '&modifiable', 0)
  call s:follow(follow)
endfunction

" ---------------------------------------------------------------------------
" Requests

" Sends method with params; rec describes the section. Returns the id or 0.
function! s:request(method, params, rec) abort
  if !s:ensure()
    " Scripts that wait for PrecisDone learn that this one will not come.
    call s:done(0, 'error', 'cannot start ' . join(s:command()) . ' (set g:precis_program)')
    return 0
  endif
  let rec = a:rec
  let rec.id = s:next_id
  let s:next_id += 1
  let rec.gen = s:gen
  let rec.method = a:method
  call s:show()
  let rec.head = 0
  let s:reqs[string(rec.id)] = rec
  call s:new_section(rec)
  if !s:send({'jsonrpc': '2.0', 'id': rec.id, 'method': a:method, 'params': a:params})
    return 0
  endif
  return rec.id
endfunction

function! s:params(p) abort
  let extra = get(g:, 'precis_params', {})
  return extend(type(extra) == v:t_dict ? copy(extra) : {}, a:p)
endfunction

function! s:trim_url(url) abort
  let u = a:url
  while 1
    let before = u
    let u = substitute(u, '[.,;:!?''"*_]\+$', '', '')
    for [open, close] in [['(', ')'], ['[', ']']]
      if u[-1:] ==# close && count(u, open) < count(u, close)
        let u = u[:-2]
      endif
    endfor
    if u ==# before
      return u
    endif
  endwhile
endfunction

" The http(s) URL under the cursor, else the first one on the cursor's line, else ''.
function! precis#url_under_cursor() abort
  let line = getline('.')
  let col = col('.') - 1
  let found = []
  let start = 0
  while 1
    let m = matchstrpos(line, '\vhttps?://[^[:space:]<>"''`{}|\\^]+', start)
    if m[1] < 0
      break
    endif
    call add(found, [s:trim_url(m[0]), m[1], m[2]])
    let start = m[2]
  endwhile
  for [url, s, e] in found
    if col >= s && col < e
      return url
    endif
  endfor
  return empty(found) ? '' : found[0][0]
endfunction

function! s:buffer_label() abort
  let name = expand('%:t')
  return name ==# '' ? '[No Name]' : name
endfunction

" :Precis [url] - summarize a page (the URL under the cursor by default).
function! precis#summarize(url, ...) abort
  let url = a:url !=# '' ? a:url : precis#url_under_cursor()
  if url ==# ''
    call s:echoerr('no URL under the cursor (give one: :Precis URL)')
    return 0
  endif
  let p = s:params({'url': url})
  call extend(p, a:0 ? a:1 : {})
  return s:request('summarize', p, {'url': url, 'label': url})
endfunction

" :[range]PrecisSummarize - summarize lines l1..l2 of the current buffer.
function! precis#summarize_lines(l1, l2, range, ...) abort
  let text = join(getline(a:l1, a:l2), "\n") . "\n"
  let label = s:buffer_label() . (a:range > 0 ? printf(', lines %d-%d', a:l1, a:l2) : '')
  let p = s:params({'text': text, 'title': s:buffer_label()})
  call extend(p, a:0 ? a:1 : {})
  return s:request('summarize', p, {'url': '', 'label': label})
endfunction

" :PrecisAsk {question} - about the URL under the cursor, else the buffer's text.
function! precis#ask(question, ...) abort
  if a:question =~# '^\s*$'
    call s:echoerr('no question (:PrecisAsk What does it say about X?)')
    return 0
  endif
  let url = precis#url_under_cursor()
  if url !=# ''
    let p = s:params({'question': a:question, 'url': url})
    let rec = {'url': url, 'label': url, 'question': a:question}
  else
    let p = s:params({'question': a:question, 'text': join(getline(1, '$'), "\n") . "\n"})
    let rec = {'url': '', 'label': s:buffer_label(), 'question': a:question}
  endif
  call extend(p, a:0 ? a:1 : {})
  return s:request('ask', p, rec)
endfunction

" :PrecisExtract [url] - the page's readable content as Markdown.
function! precis#extract(url) abort
  let url = a:url !=# '' ? a:url : precis#url_under_cursor()
  if url ==# ''
    call s:echoerr('no URL under the cursor (give one: :PrecisExtract URL)')
    return 0
  endif
  return s:request('extract', {'url': url, 'format': 'markdown'}, {'url': url, 'label': url})
endfunction

" :PrecisCancel - cancels every request in flight; each ends "cancelled".
function! precis#cancel() abort
  let n = 0
  for rec in values(s:reqs)
    if rec.gen == s:gen && s:alive()
      call s:send({'jsonrpc': '2.0', 'method': 'cancel', 'params': {'id': rec.id}})
      let n += 1
    endif
  endfor
  if n == 0
    echo 'precis: nothing to cancel'
  endif
  return n
endfunction

" ---------------------------------------------------------------------------
" For status lines and tests

" Number of requests in flight.
function! precis#pending() abort
  return len(s:reqs)
endfunction

" The [precis] buffer's number, or -1.
function! precis#bufnr() abort
  return s:bufnr > 0 && bufexists(s:bufnr) ? s:bufnr : -1
endfunction

" The process id of the running server, or 0.
function! precis#pid() abort
  if !s:alive()
    return 0
  endif
  return s:is_nvim ? jobpid(s:job) : job_info(s:job).process
endfunction

" The server's initialize result ({} until it arrived).
function! precis#server_info() abort
  return s:info
endfunction

" Stops the server: requests in flight end with "error" (restarted on demand).
function! precis#stop() abort
  if s:alive()
    if s:is_nvim
      call jobstop(s:job)
    else
      call job_stop(s:job)
    endif
  endif
endfunction

let &cpo = s:save_cpo
unlet s:save_cpo
