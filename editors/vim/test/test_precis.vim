" Headless tests of the precis plugin, for Vim (vim -Nu NONE -es -S) and
" Neovim (nvim --headless -u NONE -S). tests/e2e/test_vim.py runs them.
"
" Environment:
"   PRECIS_TEST_BIN      the precis binary
"   PRECIS_TEST_MODEL    the fake model endpoint (http://127.0.0.1:N/v1)
"   PRECIS_TEST_PAGES    the page server (http://127.0.0.1:N)
"   PRECIS_TEST_EXPECT   a directory with the CLI's answers to compare with:
"                        offline.txt (precis URL), echo.txt (precis -m echo URL),
"                        extract.md (precis extract URL), page.html (the
"                        page) and extract-stdin.md (precis extract - <page.html)
"   PRECIS_TEST_RESULTS  the file to write: one "PASS name" or "FAIL name: why"
"                        line per case, then "END"
"   PRECIS_TEST_ONLY     optional: a pattern; only matching cases run
" The editor starts without OPENAI_BASE_URL: the first cases see precis offline.
scriptencoding utf-8
set encoding=utf-8
set nomore
set hidden

let s:here = expand('<sfile>:p:h')
let &runtimepath = fnamemodify(s:here, ':h') . ',' . &runtimepath
runtime plugin/precis.vim

let s:editor = has('nvim') ? 'nvim' : 'vim'
let s:bin = $PRECIS_TEST_BIN
let s:fake = $PRECIS_TEST_MODEL
let s:pages = $PRECIS_TEST_PAGES
let s:url = s:pages . '/html'
let s:results = []
let s:timeout = 20.0

let g:precis_program = s:bin
let g:done = 0
augroup precis_test
  autocmd!
  autocmd User PrecisDone let g:done += 1
augroup END

" ---------------------------------------------------------------------------
" Helpers

function! s:check(cond, msg) abort
  if !a:cond
    throw 'check: ' . a:msg
  endif
endfunction

function! s:eq(got, want, what) abort
  if a:got !=# a:want
    throw 'check: ' . a:what . ': got ' . string(a:got) . ', want ' . string(a:want)
  endif
endfunction

" Waits (letting callbacks and timers run) until expr is true.
function! s:wait(expr, what) abort
  let t0 = reltime()
  while !eval(a:expr)
    if reltimefloat(reltime(t0)) > s:timeout
      throw 'timeout waiting for ' . a:what
    endif
    sleep 5m
  endwhile
endfunction

" Waits for n more PrecisDone events than `before`.
function! s:wait_done(before, n) abort
  call s:wait('g:done >= ' . (a:before + a:n), (a:n) . ' PrecisDone')
  sleep 20m
  call s:eq(g:done, a:before + a:n, 'PrecisDone count')
endfunction

function! s:lines() abort
  return getbufline(precis#bufnr(), 1, '$')
endfunction

" The last section under heading (the lines after its blank line, up to the
" next heading's separator). Fails when there is no such heading.
function! s:section(heading) abort
  let lines = s:lines()
  let at = len(lines) - 1
  while at >= 0 && lines[at] !=# a:heading
    let at -= 1
  endwhile
  call s:check(at >= 0, 'no heading ' . string(a:heading) . ' in ' . string(lines))
  call s:eq(lines[at + 1], '', 'blank line under the heading')
  let end = at + 2
  while end < len(lines) && !(lines[end] ==# '' && end + 1 < len(lines) && lines[end + 1] =~# '^## ')
    let end += 1
  endwhile
  return lines[at + 2 : end - 1]
endfunction

function! s:expect(name, ...) abort
  return readfile($PRECIS_TEST_EXPECT . '/' . a:name, a:0 ? a:1 : 'b')
endfunction

" Text compared without trailing blank lines and spaces.
function! s:norm(lines) abort
  let l = copy(a:lines)
  while !empty(l) && l[-1] =~# '^\s*$'
    call remove(l, -1)
  endwhile
  return join(map(l, 'substitute(v:val, ''\s\+$'', '''', '''')'), "\n")
endfunction

" A fresh scratch buffer holding lines, in the only window besides [precis].
function! s:scratch(name, lines) abort
  for b in range(1, bufnr('$'))
    if bufexists(b) && bufname(b) ==# a:name && b != precis#bufnr()
      execute 'bwipeout!' b
    endif
  endfor
  enew!
  setlocal buftype=nofile noswapfile
  execute 'silent file ' . fnameescape(a:name)
  call setline(1, a:lines)
endfunction

function! s:restart_with(args) abort
  call precis#stop()
  call s:wait('precis#pid() == 0', 'the server to stop')
  let g:precis_args = a:args
endfunction

" ---------------------------------------------------------------------------
" Cases

function! s:t_url_under_cursor() abort
  call s:scratch('urls.txt', [
        \ 'see https://example.com/a/b?x=1, then',
        \ 'a [link](http://example.org/page_(x)) and http://second.example/y.',
        \ 'no url here',
        \ '<https://angle.example/p> "https://quoted.example/q"',
        \ ])
  call cursor(1, 1)
  call s:eq(precis#url_under_cursor(), 'https://example.com/a/b?x=1', 'first URL on the line')
  call cursor(1, 15)
  call s:eq(precis#url_under_cursor(), 'https://example.com/a/b?x=1', 'inside, trailing comma dropped')
  call cursor(2, 50)
  call s:eq(precis#url_under_cursor(), 'http://second.example/y', 'second URL, trailing period dropped')
  call cursor(2, 15)
  call s:eq(precis#url_under_cursor(), 'http://example.org/page_(x)', 'balanced parentheses kept')
  call cursor(3, 3)
  call s:eq(precis#url_under_cursor(), '', 'no URL')
  call cursor(4, 30)
  call s:eq(precis#url_under_cursor(), 'https://quoted.example/q', 'quotes dropped')
  call cursor(4, 3)
  call s:eq(precis#url_under_cursor(), 'https://angle.example/p', 'angle brackets dropped')
endfunction

function! s:t_missing_program() abort
  let g:precis_program = '/nonexistent/precis'
  let before = g:done
  try
    execute 'Precis ' . s:url
  finally
    let g:precis_program = s:bin
  endtry
  call s:eq(g:done, before + 1, 'PrecisDone fired')
  call s:eq(g:precis_last_status, 'error', 'status')
  call s:check(g:precis_last_error =~# 'cannot start /nonexistent/precis serve', g:precis_last_error)
endfunction

function! s:t_offline_default() abort
  call s:scratch('links.md', ['# Reading list', '', 'Council news: ' . s:url . '.'])
  call cursor(3, 20)
  let win = win_getid()
  let pos = getcurpos()
  let before = g:done
  Precis
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:check(precis#bufnr() > 0, 'no [precis] buffer')
  call s:eq(win_getid(), win, 'the cursor stays in the user''s window')
  call s:eq(getcurpos(), pos, 'the user''s cursor does not move')
  call s:check(!empty(win_findbuf(precis#bufnr())), '[precis] is not shown in a window')
  let b = precis#bufnr()
  call s:eq(bufname(b), '[precis]', 'buffer name')
  call s:eq([getbufvar(b, '&buftype'), getbufvar(b, '&bufhidden'), getbufvar(b, '&swapfile'), getbufvar(b, '&filetype')],
        \ ['nofile', 'hide', 0, 'markdown'], 'buffer options')
  let info = precis#server_info()
  call s:eq(get(info, 'protocol', 0), 1, 'initialize result protocol')
  call s:eq(get(info, 'configured', 1), v:false, 'initialize result: not configured')
  let body = s:section('## Budget approved <' . s:url . '>')
  call s:eq(s:norm(body), s:norm(s:expect('offline.txt')), 'offline summary')
endfunction

function! s:t_offline_ask_is_an_error() abort
  call s:scratch('notes.txt', ['Nothing to see.'])
  let before = g:done
  PrecisAsk Why?
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'error', 'status')
  call s:check(g:precis_last_error !=# '', 'an error message')
endfunction

function! s:t_filters() abort
  call s:scratch('filter.md', ['top'])
  execute 'silent $read !' . shellescape(s:bin) . ' ' . shellescape(s:url) . ' 2>/dev/null'
  call s:eq(s:norm(getline(2, '$')), s:norm(s:expect('offline.txt')), ':r !precis URL')
  call s:scratch('page.html', readfile($PRECIS_TEST_EXPECT . '/page.html'))
  execute 'silent %!' . shellescape(s:bin) . ' extract -'
  call s:eq(s:norm(getline(1, '$')), s:norm(s:expect('extract-stdin.md')), ':%!precis extract -')
endfunction

function! s:t_configure_model() abort
  call s:restart_with(['--base-url', s:fake, '-m', 'ok'])
  call s:scratch('links.md', ['read ' . s:url])
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:eq(get(precis#server_info(), 'configured', 0), v:true, 'configured after restart with --base-url')
  let lines = s:lines()
  " The new answer is the last section: heading, blank, the answer.
  call s:eq(lines[-3:], ['## Budget approved <' . s:url . '>', '', 'Hello, world.'], 'answer from model ok')
  if len(lines) > 3
    call s:eq(lines[-4], '', 'blank line between answers')
  endif
endfunction

function! s:t_partial_lines_verbatim() abort
  let g:precis_params = {'model': 'echo'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  let want = s:expect('echo.txt', '')
  call s:eq(s:lines()[- len(want):], want, 'echo answer, newlines and partial lines exact')
endfunction

function! s:t_summarize_range() abort
  let g:precis_params = {'model': 'ok'}
  call s:scratch('region.txt', [s:editor . '-alpha-one', s:editor . '-bravo-two',
        \ s:editor . '-charlie-three', s:editor . '-delta-four', s:editor . '-echo-five'])
  let before = g:done
  2,4PrecisSummarize
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:eq(s:section('## region.txt, lines 2-4'), ['Hello, world.'], 'range answer')
  let before = g:done
  PrecisSummarize
  call s:wait_done(before, 1)
  call s:eq(s:lines()[-3:], ['## region.txt', '', 'Hello, world.'], 'whole buffer answer')
endfunction

function! s:t_ask_url() abort
  let g:precis_params = {'model': 'ok'}
  call s:scratch('ask.md', ['Source: ' . s:url])
  call cursor(1, 12)
  let before = g:done
  execute 'PrecisAsk What was approved (' . s:editor . ')?'
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:eq(s:lines()[-3:], ['## What was approved (' . s:editor . ')? — Budget approved <' . s:url . '>',
        \ '', 'Hello, world.'], 'ask about the URL under the cursor')
endfunction

function! s:t_ask_buffer() abort
  let g:precis_params = {'model': 'ok'}
  call s:scratch('memo.txt', ['The secret code is ' . s:editor . '-zebra-42.', 'Nothing else.'])
  let before = g:done
  execute 'PrecisAsk What is the code (' . s:editor . ')?'
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:eq(s:lines()[-3:], ['## What is the code (' . s:editor . ')? — memo.txt', '', 'Hello, world.'],
        \ 'ask about the buffer')
endfunction

function! s:t_extract() abort
  call s:scratch('x.md', ['x'])
  let before = g:done
  execute 'PrecisExtract ' . s:url
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  let body = s:section('## Extract: Budget approved <' . s:url . '>')
  call s:eq(s:norm(body), s:norm(s:expect('extract.md')), 'extracted Markdown')
endfunction

function! s:t_error_404() abort
  let g:precis_params = {'model': 'ok'}
  let before = g:done
  execute 'Precis ' . s:pages . '/status/404'
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'error', 'status')
  call s:check(g:precis_last_error =~# '404', 'message names the 404: ' . g:precis_last_error)
  call s:eq(s:lines()[-1], '[precis: ' . g:precis_last_error . ']', 'error marked in the buffer')
endfunction

function! s:t_error_model_500() abort
  let g:precis_params = {'model': '500'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'error', 'status')
  call s:check(g:precis_last_error !=# '', 'an error message')
endfunction

function! s:t_cancel() abort
  let g:precis_params = {'model': 'drip:200/50'}
  " The [precis] window looks at the top: it must stay there.
  let pw = win_findbuf(precis#bufnr())[0]
  call win_execute(pw, 'normal! gg')
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait('s:lines()[-1] =~# ''w3 ''', 'w3 to arrive')
  PrecisCancel
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'cancelled', 'status')
  let lines = s:lines()
  call s:eq(lines[-1], '[precis: cancelled]', 'cancel marked')
  call s:check(lines[-2] =~# '^w0 w1 w2 w3 ', 'partial text kept: ' . lines[-2])
  call s:check(lines[-2] !~# 'w199', 'the answer was cut: ' . lines[-2])
  call s:eq(line('.', pw), 1, 'a [precis] window looking elsewhere does not follow')
endfunction

function! s:t_two_at_once() abort
  let pw = win_findbuf(precis#bufnr())[0]
  call win_execute(pw, 'normal! G')
  call s:scratch('two.md', ['one', 'two', 'three'])
  call cursor(2, 2)
  let win = win_getid()
  let before = g:done
  let g:precis_params = {'model': 'drip:12/60'}
  execute 'Precis ' . s:url
  let g:precis_params = {'model': 'drip:25/20'}
  execute 'Precis ' . s:pages . '/gzip'
  call s:wait_done(before, 2)
  call s:eq([win_getid(), line('.'), col('.')], [win, 2, 2], 'the user''s window and cursor')
  let a = s:section('## Budget approved <' . s:url . '>')
  let b = s:section('## Compressed page <' . s:pages . '/gzip>')
  call s:eq(a, [join(map(range(12), '"w" . v:val'), ' ') . ' '], 'first answer')
  call s:eq(b, [join(map(range(25), '"w" . v:val'), ' ') . ' '], 'second answer')
  let lines = s:lines()
  call s:check(index(lines, '## Budget approved <' . s:url . '>') < index(lines, '## Compressed page <' . s:pages . '/gzip>'),
        \ 'answers in the order asked')
  call s:eq(line('.', pw), line('$', pw), 'the [precis] window followed the end')
endfunction

function! s:t_buffer_wiped_while_streaming() abort
  let g:precis_params = {'model': 'drip:20/30'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait('s:lines()[-1] =~# ''w2 ''', 'w2 to arrive')
  let old = precis#bufnr()
  execute 'bwipeout!' old
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:check(precis#bufnr() > 0 && precis#bufnr() != old, 'a new [precis] buffer')
  call s:eq(s:lines()[0], '## Budget approved <' . s:url . '>', 'the answer''s heading again')
  call s:check(s:lines()[-1] =~# ' w19 $', 'the rest of the answer: ' . s:lines()[-1])
  " The next command shows the new buffer.
  let g:precis_params = {'model': 'ok'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call s:check(!empty(win_findbuf(precis#bufnr())), 'shown again')
  call s:eq(s:lines()[-1], 'Hello, world.', 'answer')
endfunction

function! s:t_restart_after_kill() abort
  let g:precis_params = {'model': 'drip:200/50'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait('s:lines()[-1] =~# ''w1 ''', 'w1 to arrive')
  let pid = precis#pid()
  call s:check(pid > 0, 'a server pid')
  call system('kill -9 ' . pid)
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'error', 'status of the answer in flight')
  call s:check(s:lines()[-2] =~# '^w0 w1 ', 'partial text kept')
  let g:precis_params = {'model': 'ok'}
  let before = g:done
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status after restart')
  call s:check(precis#pid() > 0 && precis#pid() != pid, 'a new server')
  call s:eq(s:lines()[-1], 'Hello, world.', 'answer after restart')
endfunction

" Long lines both ways: a 130 KB buffer goes out in one request line (more
" than a pipe holds), and 300 deltas of 1000 characters come back faster than
" the editor reads them (in Neovim, lines then arrive split across chunks).
function! s:t_big_lines() abort
  let g:precis_params = {'model': 'ok'}
  call s:scratch('big.txt', map(range(2000), 'printf("line %05d of the big buffer, with some text to summarize.", v:val)'))
  let before = g:done
  PrecisSummarize
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status of the big request')
  call s:eq(s:section('## big.txt'), ['Hello, world.'], 'answer to the big request')
  let g:precis_params = {'model': 'big:300000'}
  let piece = strpart(repeat('lorem ipsum dolor sit amet ', 40), 0, 1000)
  call s:scratch('small.txt', ['A short text.'])
  let before = g:done
  PrecisSummarize
  call s:wait_done(before, 1)
  call s:eq(g:precis_last_status, 'ok', 'status of the big answer')
  let body = s:section('## small.txt')
  call s:eq(len(body), 1, 'one line')
  call s:eq(len(body[0]), 300000, 'answer length')
  call s:check(body[0] ==# repeat(piece, 300), 'answer text')
endfunction

let s:stamps = []
function! s:tick(timer) abort
  call add(s:stamps, reltimefloat(reltime()))
endfunction

function! s:t_responsive() abort
  let g:precis_params = {'model': 'drip:40/25'}
  let s:stamps = []
  let before = g:done
  let timer = timer_start(10, function('s:tick'), {'repeat': -1})
  execute 'Precis ' . s:url
  call s:wait_done(before, 1)
  call timer_stop(timer)
  call s:eq(g:precis_last_status, 'ok', 'status')
  call s:eq(s:lines()[-1], join(map(range(40), '"w" . v:val'), ' ') . ' ', 'answer')
  call s:check(len(s:stamps) >= 50, 'timer ticks: ' . len(s:stamps))
  let gap = 0.0
  for i in range(1, len(s:stamps) - 1)
    let d = (s:stamps[i] - s:stamps[i - 1]) * 1000.0
    let gap = d > gap ? d : gap
  endfor
  call s:check(gap <= 100.0, printf('largest gap between 10 ms ticks: %.1f ms', gap))
endfunction

function! s:t_helptags() abort
  let dir = tempname()
  call mkdir(dir . '/doc', 'p')
  call writefile(readfile(fnamemodify(s:here, ':h') . '/doc/precis.txt', 'b'), dir . '/doc/precis.txt', 'b')
  execute 'helptags ' . fnameescape(dir . '/doc')
  let &runtimepath = dir . ',' . &runtimepath
  for tag in ['precis', 'precis.txt', ':Precis', ':PrecisAsk', ':PrecisSummarize', ':PrecisExtract',
        \ ':PrecisCancel', 'g:precis_program', 'g:precis_args', 'g:precis_params', 'g:precis_split',
        \ 'g:precis_last_status', 'PrecisDone', 'precis-filters', 'precis-buffer']
    execute 'help ' . tag
    call s:eq(expand('%:t'), 'precis.txt', 'help ' . tag)
    call s:check(getline('.') =~# '\*' . escape(tag, '.*[]~\') . '\*', 'cursor on the tag ' . tag . ': ' . getline('.'))
    helpclose
  endfor
endfunction

" ---------------------------------------------------------------------------
" Runner

let s:cases = ['url_under_cursor', 'missing_program', 'offline_default', 'offline_ask_is_an_error', 'filters',
      \ 'configure_model', 'partial_lines_verbatim', 'summarize_range', 'ask_url', 'ask_buffer',
      \ 'extract', 'error_404', 'error_model_500', 'cancel', 'two_at_once', 'buffer_wiped_while_streaming', 'restart_after_kill',
      \ 'big_lines', 'responsive', 'helptags']

function! s:run() abort
  for name in s:cases
    if $PRECIS_TEST_ONLY !=# '' && name !~# $PRECIS_TEST_ONLY
      continue
    endif
    let t0 = reltime()
    try
      call call('s:t_' . name, [])
      call add(s:results, printf('PASS %s %.2f', name, reltimefloat(reltime(t0))))
    catch
      call add(s:results, 'FAIL ' . name . ': ' . substitute(v:exception, '\n', ' ', 'g') . ' @ ' . v:throwpoint)
      " Let anything still streaming end before the next case.
      call precis#cancel()
      let t1 = reltime()
      while precis#pending() > 0 && reltimefloat(reltime(t1)) < 15
        sleep 10m
      endwhile
    endtry
    call writefile(s:results, $PRECIS_TEST_RESULTS)
  endfor
  if precis#bufnr() > 0
    call writefile(s:lines(), $PRECIS_TEST_RESULTS . '.buffer')
  endif
  call add(s:results, 'END')
  call writefile(s:results, $PRECIS_TEST_RESULTS)
endfunction

try
  call s:run()
catch
  call add(s:results, 'FAIL runner: ' . v:exception)
  call writefile(s:results, $PRECIS_TEST_RESULTS)
endtry
qall!
