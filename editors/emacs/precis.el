;;; precis.el --- Summarize web pages and ask them questions with precis -*- lexical-binding: t; -*-

;; Author: The precis authors
;; Maintainer: The precis authors
;; Version: 0.1.0
;; Package-Requires: ((emacs "27.1"))
;; Keywords: tools, hypermedia, convenience

;; This file is not part of GNU Emacs.

;;; Commentary:

;; An Emacs front end to precis, the command-line tool that turns web
;; pages into answers with an OpenAI-compatible model, or with an
;; offline extractive summarizer when no model is configured.
;;
;; The package talks to one long-lived "precis serve" process over
;; newline-delimited JSON-RPC (see editors/PROTOCOL.md in the precis
;; repository).  The process is started on demand and started again
;; when a request comes after it died.  Everything is asynchronous:
;; answers stream into the *precis* buffer while you keep working.
;;
;; Commands:
;;
;;   `precis-summarize-url'     summarize the URL at point (or one you type)
;;   `precis-summarize-region'  summarize the region (HTML, Markdown or text)
;;   `precis-summarize-buffer'  summarize the whole buffer
;;   `precis-ask'               ask a question about the URL at point,
;;                              the region or the buffer
;;   `precis-extract-url'       the page's readable Markdown in its own buffer
;;   `precis-cancel'            stop the answer at point, else the newest;
;;                              with a prefix argument, stop them all
;;
;; Each answer is appended to *precis* under its own heading (the page's
;; title and its URL), so answers that stream at the same time never mix.
;; Errors are shown in the echo area.  `precis-finished-functions' runs
;; when an answer ends.
;;
;; Example set-up:
;;
;;   (require 'precis)
;;   (global-set-key (kbd "C-c p s") #'precis-summarize-url)
;;   (global-set-key (kbd "C-c p a") #'precis-ask)

;;; Code:

(require 'cl-lib)
(require 'json)
(require 'subr-x)
(require 'thingatpt)

(declare-function markdown-mode "ext:markdown-mode" ())

;;;; Customisation

(defgroup precis nil
  "Summarize web pages and ask them questions with precis."
  :group 'tools
  :prefix "precis-")

(defcustom precis-program "precis"
  "The precis executable: a name looked up in variable `exec-path', or a file."
  :type 'string)

(defcustom precis-extra-args nil
  "Extra command-line arguments given to \"precis serve\".
They come after \"serve\" and after the arguments made from
`precis-profile', for example (\"--base-url\" \"http://localhost:11434/v1\")
or (\"--lang\" \"German\").  Changes take effect when no answer is in
flight: the server is then started again with the new arguments."
  :type '(repeat string))

(defcustom precis-profile nil
  "The precis profile to use (passed as --profile), or nil for the default."
  :type '(choice (const :tag "Default profile" nil) string))

(defcustom precis-model nil
  "The model to ask, sent with each request, or nil for the configured one."
  :type '(choice (const :tag "Configured model" nil) string))

(defcustom precis-length nil
  "Length of summaries: nil (the configured default), short, medium or long."
  :type '(choice (const :tag "Default" nil)
                 (const "short") (const "medium") (const "long")))

(defcustom precis-lang nil
  "Language of the answers, such as \"German\", or nil for the default."
  :type '(choice (const :tag "Default" nil) string))

(defcustom precis-buffer-name "*precis*"
  "Name of the buffer that answers stream into."
  :type 'string)

(defcustom precis-display-action nil
  "The ACTION argument given to `display-buffer' to show answers.
The selected window is never changed: focus stays where it was."
  :type 'sexp)

(defcustom precis-finished-functions nil
  "Abnormal hook run when an answer or an extraction ends.
Each function is called with one argument, the symbol `ok',
`error' or `cancelled'.  It runs in the buffer the answer went to."
  :type 'hook)

;;;; State

(defvar precis--process nil
  "The current \"precis serve\" process, or nil.")

(defvar precis--process-command nil
  "The command line `precis--process' was started with.")

(defvar precis--server-info nil
  "The result of the last `initialize' request, an alist.")

(defvar precis--next-id 0
  "The id of the last request sent.")

(defvar precis--requests (make-hash-table :test #'eql)
  "Requests in flight: id to `precis--request'.")

(cl-defstruct (precis--request (:constructor precis--request-create)
                               (:copier nil))
  "One request sent to the server."
  id            ; the JSON-RPC id, an integer
  method        ; "summarize", "ask", "extract", "initialize" or "shutdown"
  process       ; the process it was sent to
  label         ; heading word: "Summary" or "Answer"
  source        ; what the answer is about, shown before `meta' arrives
  question      ; the question of an `ask', or nil
  head          ; marker at the start of the section's heading
  body          ; marker at the start of the answer text
  end)          ; marker after the answer text (advances on insertion)

;;;; The server process

(defun precis--program ()
  "Return `precis-program', with a leading \"~\" expanded."
  (if (file-name-absolute-p precis-program)
      (expand-file-name precis-program)
    precis-program))

(defun precis--command ()
  "Return the command line for starting the server."
  (append (list (precis--program) "serve")
          (and precis-profile (list "--profile" precis-profile))
          precis-extra-args))

(defun precis--live-p ()
  "Return non-nil when the server process is running."
  (and precis--process (process-live-p precis--process)))

(defun precis--ensure-process ()
  "Return a running server process, starting one if needed."
  (let ((command (precis--command)))
    (when (and (precis--live-p)
               (not (equal command precis--process-command))
               (zerop (hash-table-count precis--requests)))
      ;; The settings changed and nothing is in flight: start afresh.
      (precis--stop-process))
    (unless (precis--live-p)
      (unless (executable-find (precis--program))
        (user-error "Precis: cannot find the program %s (see `precis-program')"
                    precis-program))
      (let ((proc (condition-case err
                      (make-process
                       :name "precis"
                       :command command
                       :connection-type 'pipe
                       :coding 'utf-8-unix
                       :noquery t
                       :stderr (make-pipe-process
                                :name "precis stderr"
                                :buffer (get-buffer-create " *precis-stderr*")
                                :sentinel #'ignore
                                :noquery t)
                       :filter #'precis--filter
                       :sentinel #'precis--sentinel)
                    (error
                     (user-error "Precis: cannot start %s: %s"
                                 precis-program (error-message-string err))))))
        (process-put proc 'precis-partial nil)
        (setq precis--process proc
              precis--process-command command
              precis--server-info nil)
        (precis--send proc
                      (precis--register
                       (precis--request-create :method "initialize" :process proc))
                      "initialize" `((client . "emacs")))))
    precis--process))

(defun precis--stop-process ()
  "Close the server's input so that it exits once idle, and forget it."
  (let ((proc precis--process))
    (setq precis--process nil)
    (when (and proc (process-live-p proc))
      (ignore-errors (process-send-eof proc)))))

(defun precis--register (request)
  "Give REQUEST a fresh id, remember it while in flight and return it."
  (let ((id (cl-incf precis--next-id)))
    (setf (precis--request-id request) id)
    (puthash id request precis--requests)
    request))

(defun precis--json-encode (object)
  "Return OBJECT (alists, strings, numbers) as a one-line JSON string."
  (if (fboundp 'json-serialize)
      (json-serialize object)
    (let ((json-encoding-pretty-print nil))
      (json-encode object))))

(defun precis--json-decode (string)
  "Parse the JSON STRING: objects become alists, arrays lists, null and false nil."
  (if (fboundp 'json-parse-string)
      (json-parse-string string :object-type 'alist :array-type 'list
                         :null-object nil :false-object nil)
    (let ((json-object-type 'alist) (json-array-type 'list)
          (json-key-type 'symbol) (json-null nil) (json-false nil))
      (json-read-from-string string))))

(defun precis--send (proc request method params)
  "Send METHOD with PARAMS (an alist) for REQUEST to PROC."
  (precis--send-message
   proc `((jsonrpc . "2.0")
          (id . ,(precis--request-id request))
          (method . ,method)
          (params . ,(or params (make-hash-table))))))

(defun precis--send-message (proc message)
  "Write MESSAGE, an alist, to PROC as one line of JSON."
  (process-send-string proc (concat (precis--json-encode message) "\n")))

(defun precis--filter (proc output)
  "Handle each complete JSON line in OUTPUT from PROC.
The start of a line not yet complete is kept, in pieces, until its
newline arrives, so a long line costs time in proportion to its length."
  (let ((start 0)
        newline)
    (while (setq newline (string-match "\n" output start))
      (let ((line (concat (apply #'concat
                                 (nreverse (process-get proc 'precis-partial)))
                          (substring output start newline))))
        (process-put proc 'precis-partial nil)
        (setq start (1+ newline))
        (setq line (string-trim-right line "\r"))
        (unless (string-empty-p line)
          (condition-case err
              (precis--dispatch (precis--json-decode line))
            (error
             (precis--log "cannot handle %S: %s" line
                          (error-message-string err)))))))
    (when (< start (length output))
      (process-put proc 'precis-partial
                   (cons (substring output start)
                         (process-get proc 'precis-partial))))))

(defun precis--log (format &rest args)
  "Append FORMAT with ARGS as one line to the \" *precis-stderr*\" buffer."
  (with-current-buffer (get-buffer-create " *precis-stderr*")
    (goto-char (point-max))
    (insert "precis.el: " (apply #'format-message format args) "\n")))

(defun precis--sentinel (proc event)
  "End the requests in flight on PROC when it exits with EVENT."
  (unless (process-live-p proc)
    (let ((why (string-trim event))
          (dead nil))
      (maphash (lambda (_id request)
                 (when (eq (precis--request-process request) proc)
                   (push request dead)))
               precis--requests)
      (when (eq proc precis--process)
        (setq precis--process nil))
      (dolist (request (sort dead (lambda (a b) (< (precis--request-id a)
                                                   (precis--request-id b)))))
        (precis--finish request 'error
                        (format "the precis server exited (%s)" why))))))

;;;; Messages from the server

(defun precis--dispatch (message)
  "Handle one decoded MESSAGE from the server."
  (let ((method (alist-get 'method message)))
    (if method
        (let* ((params (alist-get 'params message))
               (request (gethash (alist-get 'id params) precis--requests)))
          (when request
            (pcase method
              ("meta" (precis--on-meta request params))
              ("delta" (precis--insert request (or (alist-get 'text params) "")))
              (_ nil))))
      (let ((request (gethash (alist-get 'id message) precis--requests))
            (failure (alist-get 'error message)))
        (cond
         ((null request)
          (when failure
            (precis--error-message (alist-get 'message failure))))
         (failure
          (precis--finish request
                          (if (equal (alist-get 'kind (alist-get 'data failure))
                                     "cancelled")
                              'cancelled
                            'error)
                          (alist-get 'message failure)))
         (t (precis--on-result request (alist-get 'result message))))))))

(defun precis--error-message (text)
  "Show TEXT in the echo area as one line starting with \"precis: \"."
  (let ((line (replace-regexp-in-string "[\n\r]+" " " (or text "unknown error"))))
    (message "precis: %s" line)))

(defun precis--on-result (request result)
  "Handle the successful RESULT of REQUEST."
  (pcase (precis--request-method request)
    ("initialize"
     (remhash (precis--request-id request) precis--requests)
     (setq precis--server-info result))
    ("shutdown"
     (remhash (precis--request-id request) precis--requests))
    ("extract"
     (remhash (precis--request-id request) precis--requests)
     (let ((buffer (precis--show-extract result)))
       (with-current-buffer buffer
         (run-hook-with-args 'precis-finished-functions 'ok))))
    (_ (precis--finish request 'ok nil))))

(defun precis--finish (request status text)
  "End REQUEST with STATUS (`ok', `error' or `cancelled').
TEXT is the error message, shown in the echo area for an error."
  (remhash (precis--request-id request) precis--requests)
  (let ((end (precis--request-end request)))
    (when (eq status 'error)
      (precis--error-message text))
    (unless (precis--internal-p request)
      (precis--end-answer request status text end))))

(defun precis--internal-p (request)
  "Return non-nil when REQUEST is not an answer or an extraction."
  (member (precis--request-method request) '("initialize" "shutdown")))

(defun precis--end-answer (request status text end)
  "Close REQUEST's section (END is its end marker) and run the hook.
STATUS is `ok', `error' or `cancelled'; TEXT is the error message."
  (if (not (and end (marker-buffer end)))
      (run-hook-with-args 'precis-finished-functions status)
    (with-current-buffer (marker-buffer end)
      (save-restriction
        (widen)
        (precis--close-section
         request (pcase status
                   ('error (format "[error: %s]\n" (precis--one-line (or text ""))))
                   ('cancelled "[cancelled]\n"))))
      (run-hook-with-args 'precis-finished-functions status))))

;;;; The answer buffer

(defun precis--answer-buffer ()
  "Return the buffer answers go to, creating it when needed."
  (or (get-buffer precis-buffer-name)
      (with-current-buffer (get-buffer-create precis-buffer-name)
        (precis--set-mode)
        (current-buffer))))

(defun precis--set-mode ()
  "Use `markdown-mode' in the current buffer when installed, else `text-mode'."
  (if (fboundp 'markdown-mode) (markdown-mode) (text-mode)))

(defun precis--open-section (request)
  "Append a section for REQUEST to the answer buffer and show it."
  (let ((buffer (precis--answer-buffer)))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (save-excursion
          (save-restriction
            (widen)
            (goto-char (point-max))
            (unless (or (bobp) (looking-back "\n\n" (- (point) 2)))
              (insert (if (eq (char-before) ?\n) "\n" "\n\n")))
            (let ((head (point-marker)))
              ;; The newline after the answer keeps the next section's
              ;; markers out of this one's way.
              (insert (precis--heading request nil nil) "\n")
              (let ((body (copy-marker (1- (point))))
                    (end (copy-marker (1- (point)) t)))
                (setf (precis--request-head request) head
                      (precis--request-body request) body
                      (precis--request-end request) end)))))))
    (display-buffer buffer precis-display-action)))

(defun precis--heading (request title url)
  "Return the heading lines of REQUEST's section, given the page's TITLE and URL."
  (let ((source (precis--request-source request)))
    (concat "# " (precis--request-label request) ": "
            (precis--one-line (or title url source)) "\n"
            (cond (url (concat url "\n"))
                  (title (concat "(" source ")\n"))
                  (t ""))
            (if-let ((question (precis--request-question request)))
                (concat "Question: " (precis--one-line question) "\n")
              "")
            "\n")))

(defun precis--one-line (text)
  "Return TEXT with its line breaks turned into spaces."
  (replace-regexp-in-string "[ \t]*[\n\r]+[ \t]*" " " (string-trim text)))

(defun precis--on-meta (request params)
  "Rewrite REQUEST's heading with the title and URL from its `meta' PARAMS."
  (let ((head (precis--request-head request))
        (body (precis--request-body request)))
    (when (and head (marker-buffer head))
      (with-current-buffer (marker-buffer head)
        (let ((inhibit-read-only t)
              (old (- body head)))
          (save-excursion
            (save-restriction
              (widen)
              ;; Insert the new heading before the old one, then delete
              ;; the old one: every marker keeps its place in the text.
              (goto-char head)
              (insert (precis--heading request
                                       (alist-get 'title params)
                                       (alist-get 'url params)))
              (delete-region (point) (+ (point) old)))))))))

(defun precis--insert (request text)
  "Append TEXT to REQUEST's answer without moving anyone's point."
  (let ((end (precis--request-end request)))
    (when (and end (marker-buffer end) (not (string-empty-p text)))
      (with-current-buffer (marker-buffer end)
        (let ((inhibit-read-only t))
          (save-excursion
            (save-restriction
              (widen)
              (goto-char end)
              (insert text))))))))

(defun precis--close-section (request &optional note)
  "End REQUEST's answer with a newline, then NOTE if given; stop its marker."
  (let ((body (precis--request-body request))
        (end (precis--request-end request)))
    (when (and (> end body) (/= (char-before end) ?\n))
      (precis--insert request "\n"))
    (when note
      (precis--insert request note))
    (set-marker-insertion-type end nil)))

(defun precis--show-extract (result)
  "Show an extraction RESULT in a buffer of its own and return that buffer."
  (let* ((title (or (alist-get 'title result) (alist-get 'url result) "text"))
         (buffer (get-buffer-create (format "*precis: %s*" (precis--one-line title)))))
    (with-current-buffer buffer
      (let ((inhibit-read-only t))
        (erase-buffer)
        (insert (or (alist-get 'content result) ""))
        (precis--set-mode)
        (goto-char (point-min))
        (set-buffer-modified-p nil)))
    (display-buffer buffer precis-display-action)
    buffer))

;;;; Requests

(defun precis--common-params ()
  "Return the request parameters that come from the customisations."
  (delq nil (list (and precis-model (cons 'model precis-model))
                  (and precis-lang (cons 'lang precis-lang)))))

(defun precis--start-answer (method params label source &optional question)
  "Send METHOD with PARAMS and stream its answer into the answer buffer.
LABEL and SOURCE make the section's heading; QUESTION is shown under it.
Return the request's id."
  (let* ((proc (precis--ensure-process))
         (request (precis--register
                   (precis--request-create :method method :process proc
                                           :label label :source source
                                           :question question))))
    (precis--open-section request)
    (condition-case err
        (precis--send proc request method
                      (append params (precis--common-params)))
      (error (precis--finish request 'error (error-message-string err))))
    (precis--request-id request)))

(defun precis--url-at-point ()
  "Return the URL at point, or nil."
  (thing-at-point 'url t))

(defun precis--read-url (prompt)
  "Return the URL at point, or read one with PROMPT."
  (or (precis--url-at-point)
      (let ((url (string-trim (read-string prompt))))
        (if (string-empty-p url) (user-error "Precis: no URL given") url))))

(defun precis--text-source (start end)
  "Describe the text between START and END of the current buffer."
  (if (and (= start (point-min)) (= end (point-max)))
      (format "buffer %s" (buffer-name))
    (format "region of %s" (buffer-name))))

;;;###autoload
(defun precis-summarize-url (url)
  "Summarize the page at URL into the *precis* buffer.
Interactively, URL is the one at point, else it is read from the
minibuffer.  Return the request's id."
  (interactive (list (precis--read-url "Summarize URL: ")))
  (precis--start-answer "summarize"
                        (delq nil (list (cons 'url url)
                                        (and precis-length
                                             (cons 'length precis-length))))
                        "Summary" url))

;;;###autoload
(defun precis-summarize-region (start end)
  "Summarize the text between START and END (HTML, Markdown or plain text).
Interactively, the region.  Return the request's id."
  (interactive "r")
  (precis--start-answer "summarize"
                        (delq nil (list (cons 'text (buffer-substring-no-properties
                                                     start end))
                                        (and precis-length
                                             (cons 'length precis-length))))
                        "Summary" (precis--text-source start end)))

;;;###autoload
(defun precis-summarize-buffer (&optional buffer)
  "Summarize BUFFER (by default the current one).  Return the request's id."
  (interactive)
  (with-current-buffer (or buffer (current-buffer))
    (save-restriction
      (widen)
      (precis-summarize-region (point-min) (point-max)))))

;;;###autoload
(defun precis-ask (question &optional url)
  "Ask QUESTION about the page at URL, or else about the region or buffer.
Interactively, URL is the one at point; without one, the question is
about the active region, or else about the whole buffer.  The answer
comes from the page only.  Return the request's id."
  (interactive
   (let ((url (precis--url-at-point)))
     (list (read-string (if url (format "Ask about %s: " url)
                          (format "Ask about the %s: "
                                  (if (use-region-p) "region" "buffer"))))
           url)))
  (when (string-empty-p (string-trim question))
    (user-error "Precis: no question given"))
  (if url
      (precis--start-answer "ask" `((question . ,question) (url . ,url))
                            "Answer" url question)
    (let ((start (if (use-region-p) (region-beginning) (point-min)))
          (end (if (use-region-p) (region-end) (point-max))))
      (precis--start-answer "ask"
                            `((question . ,question)
                              (text . ,(buffer-substring-no-properties start end)))
                            "Answer" (precis--text-source start end) question))))

;;;###autoload
(defun precis-extract-url (url)
  "Show the readable content of the page at URL as Markdown in its own buffer.
The buffer is named *precis: TITLE*.  Interactively, URL is the one
at point, else it is read from the minibuffer.  Return the request's id."
  (interactive (list (precis--read-url "Extract URL: ")))
  (let* ((proc (precis--ensure-process))
         (request (precis--register
                   (precis--request-create :method "extract" :process proc
                                           :source url))))
    (precis--send proc request "extract" `((url . ,url)))
    (message "precis: extracting %s..." url)
    (precis--request-id request)))

(defun precis--answer-requests ()
  "Return the answers in flight, newest first."
  (let (requests)
    (maphash (lambda (_id request)
               (unless (precis--internal-p request)
                 (push request requests)))
             precis--requests)
    (sort requests (lambda (a b) (> (precis--request-id a)
                                    (precis--request-id b))))))

(defun precis--request-at-point ()
  "Return the answer in flight with point inside its section, or nil."
  (cl-find-if (lambda (request)
                (let ((head (precis--request-head request))
                      (end (precis--request-end request)))
                  (and head (eq (marker-buffer head) (current-buffer))
                       (<= head (point) end))))
              (precis--answer-requests)))

;;;###autoload
(defun precis-cancel (&optional all)
  "Cancel an answer in flight.
In the *precis* buffer with point inside an answer still arriving,
cancel that one; otherwise cancel the newest.  With a prefix
argument ALL, cancel every answer and extraction in flight.  Text
that already arrived is kept, followed by \"[cancelled]\"."
  (interactive "P")
  (let* ((requests (precis--answer-requests))
         (targets (cond (all requests)
                        ((precis--request-at-point)
                         (list (precis--request-at-point)))
                        (requests (list (car requests))))))
    (if (null targets)
        (message "precis: nothing to cancel")
      (dolist (request targets)
        (let ((proc (precis--request-process request)))
          (if (process-live-p proc)
              (precis--send-message
               proc `((jsonrpc . "2.0") (method . "cancel")
                      (params . ((id . ,(precis--request-id request))))))
            (precis--finish request 'cancelled nil))))
      (message "precis: cancelling %d answer%s" (length targets)
               (if (cdr targets) "s" "")))))

;;;###autoload
(defun precis-shutdown ()
  "Stop the precis server; a later request will start a new one.
Answers in flight end as cancelled."
  (interactive)
  (let ((proc precis--process))
    (when (and proc (process-live-p proc))
      (precis--register-shutdown proc))))

(defun precis--register-shutdown (proc)
  "Ask PROC to shut down, and forget it as the current server."
  (let ((request (precis--register
                  (precis--request-create :method "shutdown" :process proc))))
    (setq precis--process nil)
    (precis--send proc request "shutdown" nil)))

(provide 'precis)
;;; precis.el ends here
