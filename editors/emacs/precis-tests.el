;;; precis-tests.el --- ERT tests for precis.el -*- lexical-binding: t; -*-

;;; Commentary:

;; Run by tests/e2e/test_emacs.py, which starts the fake model server
;; and the page server and passes where they are in the environment:
;;
;;   PRECIS_TEST_BIN     the precis binary
;;   PRECIS_TEST_OPENAI  the fake OpenAI-compatible endpoint (.../v1)
;;   PRECIS_TEST_PAGES   the page server's root (http://127.0.0.1:PORT)
;;
;; By hand:
;;
;;   emacs --batch -Q -L editors/emacs -l precis-tests.el \
;;         -f ert-run-tests-batch-and-exit
;;
;; Tests that need the servers are skipped when these are not set.
;; Every wait has a deadline: a test fails, it never hangs.

;;; Code:

(require 'ert)
(require 'cl-lib)
(require 'json)
(require 'url)
(require 'precis)

(defvar precis-test-bin (getenv "PRECIS_TEST_BIN"))
(defvar precis-test-openai (getenv "PRECIS_TEST_OPENAI"))
(defvar precis-test-pages (getenv "PRECIS_TEST_PAGES"))
(defvar precis-test-timeout
  (string-to-number (or (getenv "PRECIS_TEST_TIMEOUT") "20"))
  "Seconds any one wait may take.")

(defvar precis-test-source
  (let ((here (or load-file-name buffer-file-name)))
    (expand-file-name "precis.el" (file-name-directory here)))
  "The package's source file, for the static checks.")

(defvar precis-test--finished nil "Statuses given to the hook, oldest first.")
(defvar precis-test--messages nil "Echo-area messages, newest first.")

(defun precis-test--record-message (fmt &rest args)
  "Record the message made from FMT and ARGS."
  (when fmt
    (push (apply #'format-message fmt args) precis-test--messages)))

(defun precis-test--record-finish (status)
  "Record STATUS from `precis-finished-functions'."
  (setq precis-test--finished (append precis-test--finished (list status))))

(defun precis-test--reset ()
  "Kill the server and forget every request and the answer buffer."
  (when (and precis--process (process-live-p precis--process))
    (set-process-sentinel precis--process #'ignore)
    (delete-process precis--process))
  (setq precis--process nil
        precis--process-command nil
        precis--server-info nil)
  (clrhash precis--requests)
  (when (get-buffer precis-buffer-name)
    (kill-buffer precis-buffer-name)))

(defun precis-test--env (offline extra)
  "Return `process-environment' for the server.
Without OFFLINE the fake model is configured; EXTRA is a list of
\"NAME=VALUE\" strings added in front."
  (let ((env (cl-remove-if
              (lambda (entry)
                (string-match-p
                 "\\`\\(OPENAI_[A-Z_]*\\|PRECIS_MODEL\\|PRECIS_PROFILE\\|PRECIS_CONFIG\\)="
                 entry))
              process-environment)))
    (append extra
            (unless offline
              (list (concat "OPENAI_BASE_URL=" precis-test-openai)
                    "PRECIS_MODEL=ok"))
            (list "PRECIS_RETRY_BASE_MS=10")
            env)))

(defmacro precis-test-with (options &rest body)
  "Run BODY against a fresh server.
OPTIONS is a plist: :offline non-nil leaves the model unconfigured,
:env adds environment entries."
  (declare (indent 1))
  `(progn
     (unless (and precis-test-bin precis-test-openai precis-test-pages)
       (ert-skip "PRECIS_TEST_BIN, PRECIS_TEST_OPENAI or PRECIS_TEST_PAGES not set"))
     (precis-test--reset)
     (let ((process-environment (precis-test--env ,(plist-get options :offline)
                                                  ,(plist-get options :env)))
           (precis-program precis-test-bin)
           (precis-extra-args nil)
           (precis-profile nil)
           (precis-model nil)
           (precis-length nil)
           (precis-lang nil)
           (precis-finished-functions (list #'precis-test--record-finish))
           (precis-test--finished nil)
           (precis-test--messages nil))
       (advice-add 'message :before #'precis-test--record-message)
       (unwind-protect
           (progn ,@body)
         (advice-remove 'message #'precis-test--record-message)
         (precis-test--reset)))))

(defun precis-test--wait (what pred &optional timeout)
  "Wait until PRED returns non-nil and return its value; fail naming WHAT."
  (let ((deadline (+ (float-time) (or timeout precis-test-timeout)))
        value)
    (while (and (not (setq value (funcall pred)))
                (< (float-time) deadline))
      (accept-process-output nil 0.01))
    (or value
        (ert-fail (list "timed out waiting" what
                        :finished precis-test--finished
                        :messages precis-test--messages
                        :buffer (precis-test--text)
                        :stderr (with-current-buffer
                                    (get-buffer-create " *precis-stderr*")
                                  (buffer-string)))))))

(defun precis-test--wait-finished (n)
  "Wait until N answers ended; return the statuses."
  (precis-test--wait (format "%d finished answers" n)
                     (lambda () (and (>= (length precis-test--finished) n)
                                     precis-test--finished))))

(defun precis-test--text ()
  "Return the text of the answer buffer, or nil."
  (when (get-buffer precis-buffer-name)
    (with-current-buffer precis-buffer-name
      (buffer-substring-no-properties (point-min) (point-max)))))

(defun precis-test--page (path)
  "Return the page server's URL for PATH."
  (concat precis-test-pages path))

(defun precis-test--fake (method path)
  "Call the fake model server's introspection PATH with METHOD; return the JSON."
  (let* ((url-request-method method)
         (url-request-data (and (equal method "POST") ""))
         (root (replace-regexp-in-string "/v1/?\\'" "" precis-test-openai))
         (buffer (url-retrieve-synchronously (concat root path) t t 5)))
    (unwind-protect
        (with-current-buffer buffer
          (goto-char (point-min))
          (re-search-forward "\r?\n\r?\n")
          (json-parse-string (buffer-substring (point) (point-max))
                             :object-type 'alist :array-type 'list
                             :null-object nil :false-object nil))
      (kill-buffer buffer))))

(defun precis-test--chat-requests ()
  "Return the chat requests the fake model received since the last reset."
  (cl-remove-if-not (lambda (r) (string-prefix-p "/v1/chat" (alist-get 'path r)))
                    (precis-test--fake "GET" "/_requests")))

(defun precis-test--user-text (request)
  "Return all the user messages of a chat REQUEST as one string."
  (mapconcat (lambda (m) (format "%s" (alist-get 'content m)))
             (cl-remove-if-not (lambda (m) (equal (alist-get 'role m) "user"))
                               (alist-get 'messages (alist-get 'body request)))
             "\n"))

(defun precis-test--error-messages ()
  "Return the echo-area messages that report an error, oldest first."
  (reverse (cl-remove-if-not
            (lambda (m) (and (string-prefix-p "precis: " m)
                             (not (string-match-p "\\`precis: \\(extracting\\|cancelling\\)" m))))
            precis-test--messages)))

;;;; Commands against the fake model

(ert-deftest precis-test-summarize-url ()
  "A summary streams under a heading with the page's title and URL."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (let ((url (precis-test--page "/html")))
      (should (integerp (precis-summarize-url url)))
      (should (equal (precis-test--wait-finished 1) '(ok)))
      (should (equal (precis-test--text)
                     (concat "# Summary: Budget approved\n" url "\n\n"
                             "Hello, world.\n\n")))
      (should (get-buffer-window precis-buffer-name))
      (should-not (eq (window-buffer (selected-window)) (get-buffer precis-buffer-name)))
      (let ((requests (precis-test--chat-requests)))
        (should (= (length requests) 1))
        (should (string-match-p "approved the bridge budget"
                                (precis-test--user-text (car requests)))))
      (should (equal (precis-test--error-messages) nil))
      (should (equal (alist-get 'protocol precis--server-info) 1)))))

(ert-deftest precis-test-summarize-url-at-point-and-minibuffer ()
  "Interactively, the URL at point is used, else one is read."
  (precis-test-with ()
    (let ((url (precis-test--page "/html")))
      (with-temp-buffer
        (insert "See " url " for details.")
        (goto-char (+ (point-min) 8))
        (call-interactively #'precis-summarize-url))
      (precis-test--wait-finished 1)
      (with-temp-buffer
        (insert "no link here")
        (cl-letf (((symbol-function 'read-string) (lambda (&rest _) url)))
          (call-interactively #'precis-summarize-url)))
      (should (equal (precis-test--wait-finished 2) '(ok ok)))
      (let ((section (concat "# Summary: Budget approved\n" url "\n\nHello, world.\n\n")))
        (should (equal (precis-test--text) (concat section section)))))))

(ert-deftest precis-test-model-setting-is-sent ()
  "`precis-model' and `precis-lang' go with each request."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (let ((precis-model "echo"))
      (precis-summarize-url (precis-test--page "/html")))
    (should (equal (precis-test--wait-finished 1) '(ok)))
    (should (string-match-p "^# Summary: Budget approved\n.*\n\nECHO: " (precis-test--text)))
    (let ((requests (precis-test--chat-requests)))
      (should (equal (alist-get 'model (alist-get 'body (car requests))) "echo")))))

(ert-deftest precis-test-summarize-region ()
  "The region is sent as text; nothing outside it."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (let ((precis-model "echo")
          (outside "Outside words the server must never see.")
          (inside (concat "The harbour authority voted to dredge the channel this "
                          "winter. Ships of deeper draught will call from next year, "
                          "and the fishermen asked for a quieter berth on the east side.")))
      (with-temp-buffer
        (rename-buffer "notes.txt" t)
        (insert outside "\n\n")
        (let ((start (point)))
          (insert inside "\n")
          (let ((end (point)))
            (insert "\n" outside "\n")
            (precis-summarize-region start end))))
      (should (equal (precis-test--wait-finished 1) '(ok)))
      (should (string-match-p
               "\\`# Summary: \\(region of notes.txt\n\\|.*\n(region of notes.txt)\n\\)\nECHO: "
               (precis-test--text)))
      (let ((sent (precis-test--user-text (car (precis-test--chat-requests)))))
        (should (string-match-p "dredge the channel" sent))
        (should-not (string-match-p "Outside words" sent))))))

(ert-deftest precis-test-summarize-buffer ()
  "The whole buffer is summarized; an HTML buffer's title heads the answer."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (with-temp-buffer
      (rename-buffer "page.html" t)
      (insert "<!DOCTYPE html><html><head><title>Ferry timetable</title></head><body>"
              "<article><h1>Ferry timetable</h1><p>The morning ferry leaves the pier "
              "at seven and reaches the island before eight, weather permitting.</p>"
              "<p>In winter the evening crossing is cancelled when the wind blows "
              "above force six, and the harbour office posts a notice by noon.</p>"
              "</article></body></html>\n")
      (goto-char (point-min))
      (narrow-to-region 1 10)
      (precis-summarize-buffer))
    (should (equal (precis-test--wait-finished 1) '(ok)))
    (should (equal (precis-test--text)
                   "# Summary: Ferry timetable\n(buffer page.html)\n\nHello, world.\n\n"))
    (let ((sent (precis-test--user-text (car (precis-test--chat-requests)))))
      (should (string-match-p "evening crossing" sent)))))

(ert-deftest precis-test-ask-url ()
  "`precis-ask' with a URL: the question reaches the model."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (let ((url (precis-test--page "/html")))
      (precis-ask "When will the work start?" url)
      (should (equal (precis-test--wait-finished 1) '(ok)))
      (should (equal (precis-test--text)
                     (concat "# Answer: Budget approved\n" url "\n"
                             "Question: When will the work start?\n\n"
                             "Hello, world.\n\n")))
      (let ((requests (precis-test--chat-requests)))
        (should (= (length requests) 1))
        (should (string-match-p "When will the work start\\?"
                                (format "%S" (alist-get 'body (car requests)))))
        (should (string-match-p "approved the bridge budget"
                                (precis-test--user-text (car requests))))))))

(ert-deftest precis-test-ask-region-interactively ()
  "Interactively without a URL at point, `precis-ask' asks about the region."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (with-temp-buffer
      (rename-buffer "minutes.md" t)
      (transient-mark-mode 1)
      (insert "Preamble that is not part of the question.\n\n")
      (let ((start (point)))
        (insert "The library will open on Sundays from March, staffed by "
                "volunteers, and the reading room gets new lamps.\n")
        (set-mark start)
        (activate-mark)
        (cl-letf (((symbol-function 'read-string)
                   (lambda (&rest _) "Who staffs the library?")))
          (call-interactively #'precis-ask))))
    (should (equal (precis-test--wait-finished 1) '(ok)))
    (should (string-match-p
             "\\`# Answer: .*\n\\(?:(region of minutes.md)\n\\)?Question: Who staffs the library\\?\n\nHello, world.\n\n\\'"
             (precis-test--text)))
    (let ((body (format "%S" (alist-get 'body (car (precis-test--chat-requests))))))
      (should (string-match-p "staffed by" body))
      (should (string-match-p "Who staffs the library" body))
      (should-not (string-match-p "Preamble" body)))))

(ert-deftest precis-test-ask-buffer ()
  "From Lisp without a URL or an active region, the question is about the buffer."
  (precis-test-with ()
    (precis-test--fake "POST" "/_reset")
    (with-temp-buffer
      (rename-buffer "recipe.txt" t)
      (insert "Knead the dough for ten minutes, then let it rise overnight "
              "in a cool room before baking at two hundred degrees.\n")
      (precis-ask "How long does the dough rise?"))
    (should (equal (precis-test--wait-finished 1) '(ok)))
    (should (string-match-p
             "\\`# Answer: .*\n\\(?:(buffer recipe.txt)\n\\)?Question: How long does the dough rise\\?\n\nHello, world.\n\n\\'"
             (precis-test--text)))
    (let ((body (format "%S" (alist-get 'body (car (precis-test--chat-requests))))))
      (should (string-match-p "rise overnight" body))
      (should (string-match-p "How long does the dough rise" body)))))

(ert-deftest precis-test-extract-url ()
  "`precis-extract-url' puts the page's Markdown in *precis: TITLE*."
  (precis-test-with ()
    (let ((url (precis-test--page "/html")))
      (when (get-buffer "*precis: Budget approved*")
        (kill-buffer "*precis: Budget approved*"))
      (should (integerp (precis-extract-url url)))
      (should (equal (precis-test--wait-finished 1) '(ok)))
      (with-current-buffer "*precis: Budget approved*"
        (should (derived-mode-p (if (fboundp 'markdown-mode) 'markdown-mode 'text-mode)))
        (should (string-match-p "\\`# Budget approved\n\nThe town council approved the bridge budget\\."
                                (buffer-string)))
        (should-not (string-match-p "Copyright the town paper" (buffer-string)))
        (should (= (point) (point-min))))
      (should (get-buffer-window "*precis: Budget approved*"))
      (kill-buffer "*precis: Budget approved*"))))

;;;; Offline

(ert-deftest precis-test-offline-default ()
  "With no model configured, the summary is the offline one."
  (precis-test-with (:offline t)
    (precis-test--fake "POST" "/_reset")
    (let ((url (precis-test--page "/html")))
      (precis-summarize-url url)
      (should (equal (precis-test--wait-finished 1) '(ok)))
      (let ((text (precis-test--text)))
        (should (string-prefix-p (concat "# Summary: Budget approved\n" url "\n\n") text))
        (should (string-match-p "\\(committee\\|proposal\\|bridge budget\\)" text))
        (should-not (string-match-p "Hello, world" text)))
      (should (equal (precis-test--chat-requests) nil))
      (should (eq (alist-get 'configured precis--server-info) nil))
      ;; Asking needs a model: a usage error in the echo area.
      (precis-ask "What was approved?" url)
      (should (equal (precis-test--wait-finished 2) '(ok error)))
      (let ((errors (precis-test--error-messages)))
        (should (= (length errors) 1))
        (should (string-match-p "model" (car errors)))))))

;;;; Errors

(ert-deftest precis-test-fetch-error ()
  "A 404 page: one line in the echo area, the hook gets `error'."
  (precis-test-with ()
    (let ((url (precis-test--page "/status/404")))
      (precis-summarize-url url)
      (should (equal (precis-test--wait-finished 1) '(error)))
      (let ((errors (precis-test--error-messages)))
        (should (= (length errors) 1))
        (should (string-match-p "404" (car errors)))
        (should-not (string-match-p "\n" (car errors))))
      (should (string-match-p "^\\[error: .*404.*\\]\n" (precis-test--text))))))

(ert-deftest precis-test-model-error ()
  "The model answering 500 ends the answer with `error'."
  (precis-test-with ()
    (let ((precis-model "500"))
      (precis-summarize-url (precis-test--page "/html")))
    (should (equal (precis-test--wait-finished 1) '(error)))
    (let ((errors (precis-test--error-messages)))
      (should (= (length errors) 1))
      (should-not (string-match-p "\n" (car errors))))
    (should (string-match-p "^# Summary: Budget approved\n" (precis-test--text)))
    (should (string-match-p "^\\[error: " (precis-test--text)))))

(ert-deftest precis-test-extract-error ()
  "A failed extraction reports in the echo area and runs the hook."
  (precis-test-with ()
    (precis-extract-url (precis-test--page "/status/404"))
    (should (equal (precis-test--wait-finished 1) '(error)))
    (should (string-match-p "404" (car (precis-test--error-messages))))))

(ert-deftest precis-test-start-failure ()
  "A missing program is a clear user error."
  (precis-test-with ()
    (let ((precis-program "/nonexistent/precis"))
      (should-error (precis-summarize-url (precis-test--page "/html"))
                    :type 'user-error))))

;;;; Cancel, concurrency, restart

(defun precis-test--has (regexp)
  "Return non-nil when the answer buffer matches REGEXP."
  (let ((text (precis-test--text)))
    (and text (string-match-p regexp text))))

(ert-deftest precis-test-cancel ()
  "Cancelling a slow answer keeps the text so far; the hook gets `cancelled'."
  (precis-test-with ()
    (let ((precis-model "drip:200/50"))
      (precis-summarize-url (precis-test--page "/html")))
    (precis-test--wait "the first words" (lambda () (precis-test--has "w2 ")))
    (let ((start (float-time)))
      (precis-cancel)
      (should (equal (precis-test--wait-finished 1) '(cancelled)))
      (should (< (- (float-time) start) 5)))
    (let ((text (precis-test--text)))
      (should (string-match-p "\n\nw0 w1 w2 " text))
      (should-not (string-match-p "w199" text))
      (should (string-match-p "\n\\[cancelled\\]\n\n\\'" text)))
    (should (equal (precis-test--error-messages) nil))))

(ert-deftest precis-test-cancel-at-point-and-all ()
  "Point in a section cancels that answer; a prefix argument cancels all."
  (precis-test-with ()
    (let ((precis-model "drip:200/50"))
      (precis-summarize-url (precis-test--page "/html"))
      (precis-ask "What?" (precis-test--page "/html"))
      (precis-summarize-url (precis-test--page "/html")))
    (precis-test--wait "three answers streaming"
                       (lambda () (with-current-buffer precis-buffer-name
                                    (let ((n 0) (s (buffer-string)) (i 0))
                                      (while (setq i (string-match "\n\nw0 " s i))
                                        (setq n (1+ n) i (1+ i)))
                                      (= n 3)))))
    ;; Point in the second section (the question): only it stops.
    (with-current-buffer precis-buffer-name
      (goto-char (point-min))
      (re-search-forward "^Question: ")
      (precis-cancel))
    (should (equal (precis-test--wait-finished 1) '(cancelled)))
    (should (precis-test--has "^# Answer: .*\n.*\nQuestion: What\\?\n\nw0 [^#]*\n\\[cancelled\\]\n\n# Summary"))
    (precis-cancel '(4))
    (should (equal (precis-test--wait-finished 3) '(cancelled cancelled cancelled)))
    (should-not (precis--answer-requests))))

(defun precis-test--section (heading)
  "Return the section of the answer buffer that starts with HEADING."
  (let ((text (precis-test--text)))
    (when (string-match (concat "^" (regexp-quote heading)) text)
      (let* ((start (match-beginning 0))
             (next (string-match "^# " text (1+ start))))
        (substring text start next)))))

(ert-deftest precis-test-two-answers-at-once ()
  "Two answers stream at the same time, each into its own section."
  (precis-test-with ()
    (let ((url-a (precis-test--page "/html"))
          (url-b (precis-test--page "/type/xhtml"))
          (words (lambda (n) (mapconcat (lambda (i) (format "w%d " i))
                                        (number-sequence 0 (1- n)) ""))))
      (let ((precis-model "drip:12/40"))
        (precis-summarize-url url-a)
        (precis-summarize-url url-b))
      ;; Both are under way before either ends.
      (precis-test--wait "both streaming"
                         (lambda () (let ((a (precis-test--section "# Summary: Budget"))
                                          (b (precis-test--section "# Summary: X page")))
                                      (and a b (string-match-p "w1 " a)
                                           (string-match-p "w1 " b)))))
      (should (equal precis-test--finished nil))
      (should (equal (precis-test--wait-finished 2) '(ok ok)))
      (should (equal (precis-test--text)
                     (concat "# Summary: Budget approved\n" url-a "\n\n"
                             (funcall words 12) "\n\n"
                             "# Summary: X page\n" url-b "\n\n"
                             (funcall words 12) "\n\n"))))))

(ert-deftest precis-test-point-stays ()
  "Streaming never moves the reader's point, in the buffer or its window."
  (precis-test-with ()
    (let ((url (precis-test--page "/html")))
      (precis-summarize-url url)
      (precis-test--wait-finished 1)
      (let ((window (get-buffer-window precis-buffer-name)))
        (with-current-buffer precis-buffer-name
          (goto-char 5)
          (set-window-point window 7)
          (let ((precis-model "drip:10/10"))
            (precis-summarize-url url))
          (precis-test--wait-finished 2)
          (should (= (point) 5))
          (should (= (window-point window) 7))
          ;; Point at the very end stays before new text too.
          (goto-char (point-max))
          (let ((end (point)))
            (let ((precis-model "ok"))
              (precis-summarize-url url))
            (precis-test--wait-finished 3)
            (should (= (point) end)))
          ;; A narrowed buffer stays narrowed; answers still land at the end.
          (narrow-to-region 1 10)
          (let ((precis-model "drip:3/10"))
            (precis-summarize-url url))
          (precis-test--wait-finished 4)
          (should (equal (cons (point-min) (point-max)) '(1 . 10)))
          (widen)
          (should (string-suffix-p "\n\nw0 w1 w2 \n\n" (buffer-string))))))))

(ert-deftest precis-test-restart-after-death ()
  "Answers in flight end with `error' when the server dies; the next request restarts it."
  (precis-test-with ()
    (let ((url (precis-test--page "/html")))
      (let ((precis-model "drip:200/50"))
        (precis-summarize-url url))
      (precis-test--wait "the first words" (lambda () (precis-test--has "w1 ")))
      (let ((old precis--process))
        (signal-process old 'SIGKILL)
        (should (equal (precis-test--wait-finished 1) '(error)))
        (should (string-match-p "exited" (car (last (precis-test--error-messages)))))
        (should (precis-test--has "\n\nw0 w1 "))
        (should-not (precis--answer-requests))
        (precis-summarize-url url)
        (should (equal (precis-test--wait-finished 2) '(error ok)))
        (should (process-live-p precis--process))
        (should-not (eq old precis--process))
        (should (precis-test--has "\n\nHello, world.\n\n\\'"))))))

(ert-deftest precis-test-shutdown ()
  "`precis-shutdown' ends the server; answers in flight end cancelled."
  (precis-test-with ()
    (let ((precis-model "drip:200/50"))
      (precis-summarize-url (precis-test--page "/html")))
    (precis-test--wait "the first words" (lambda () (precis-test--has "w0 ")))
    (let ((old precis--process))
      (precis-shutdown)
      (should (equal (precis-test--wait-finished 1) '(cancelled)))
      (precis-test--wait "the server to exit" (lambda () (not (process-live-p old)))))
    (precis-summarize-url (precis-test--page "/html"))
    (should (equal (precis-test--wait-finished 2) '(cancelled ok)))))

(ert-deftest precis-test-responsive ()
  "Emacs keeps running timers every 10 ms while an answer streams."
  (precis-test-with ()
    (let* ((stamps nil)
           (timer (run-at-time 0 0.01 (lambda () (push (float-time) stamps)))))
      (unwind-protect
          (progn
            (let ((precis-model "drip:40/25"))
              (precis-summarize-url (precis-test--page "/html")))
            (precis-test--wait "the first word" (lambda () (precis-test--has "w0 ")))
            (setq stamps nil)
            (should (equal (precis-test--wait-finished 1) '(ok))))
        (cancel-timer timer))
      (should (precis-test--has "w39 \n\n\\'"))
      (should (> (length stamps) 20))
      (let ((gap 0) (prev nil))
        (dolist (s (nreverse stamps))
          (when prev (setq gap (max gap (- s prev))))
          (setq prev s))
        (should (< gap 0.1))))))

;;;; Units that need no server

(ert-deftest precis-test-filter-splits-lines ()
  "The filter keeps a partial line between calls and ignores blank lines."
  (let ((precis-finished-functions nil)
        (proc (make-pipe-process :name "precis-test-dummy" :noquery t))
        (buffer (generate-new-buffer " *precis-filter-test*")))
    (unwind-protect
        (with-current-buffer buffer
          (insert "\n")
          (let* ((body (copy-marker (point-min)))
                 (end (copy-marker (point-min) t))
                 (request (precis--request-create
                           :id 424242 :method "summarize" :process proc
                           :label "Summary" :source "x"
                           :head (copy-marker body) :body body :end end)))
            (puthash 424242 request precis--requests)
            (dolist (chunk '("{\"jsonrpc\":\"2.0\",\"method\":\"del"
                             "ta\",\"params\":{\"id\":424242,\"text\":\"h\\u00e9llo \"}}\r"
                             "\n\n{\"jsonrpc\":\"2.0\",\"method\":\"delta\",\"params\":{\"id\":424242,\"text\":\"w\u00f6rld\"}}\n{\"jsonrpc\""
                             ":\"2.0\",\"method\":\"progress\",\"params\":{\"id\":424242,\"message\":\"part 1\"}}\n"
                             "not json at all\n"))
              (precis--filter proc chunk))
            (should (equal (buffer-string) "héllo wörld\n"))
            (should (equal (process-get proc 'precis-partial) nil))
            (precis--filter proc "{\"jsonrpc\":\"2.0\",\"id\":424242,\"result\":{\"finish\":\"stop\"}}\n")
            (should (equal (buffer-string) "héllo wörld\n\n"))
            (should-not (gethash 424242 precis--requests))))
      (remhash 424242 precis--requests)
      (delete-process proc)
      (kill-buffer buffer))))

(ert-deftest precis-test-command-line ()
  "Profile and extra arguments follow \"serve\"."
  (let ((precis-program "/opt/precis")
        (precis-profile "work")
        (precis-extra-args '("--lang" "German")))
    (should (equal (precis--command)
                   '("/opt/precis" "serve" "--profile" "work" "--lang" "German")))))

;;;; Static checks, each in a separate Emacs

(defun precis-test--batch (&rest forms)
  "Evaluate FORMS in a separate emacs --batch -Q; return (EXIT . OUTPUT)."
  (with-temp-buffer
    (let ((exit (apply #'call-process
                       (expand-file-name invocation-name invocation-directory)
                       nil t nil "--batch" "-Q" "-L"
                       (file-name-directory precis-test-source)
                       (mapcan (lambda (form) (list "--eval" (prin1-to-string form)))
                               forms))))
      (cons exit (buffer-string)))))

(ert-deftest precis-test-byte-compiles-cleanly ()
  "precis.el byte-compiles with warnings treated as errors."
  (let* ((dest (make-temp-file "precis-" nil ".elc"))
         (result (precis-test--batch
                  `(setq byte-compile-error-on-warn t)
                  `(setq byte-compile-dest-file-function (lambda (_) ,dest))
                  `(kill-emacs (if (byte-compile-file ,precis-test-source) 0 1)))))
    (delete-file dest)
    (should (equal result '(0 . "")))))

(ert-deftest precis-test-checkdoc-clean ()
  "checkdoc finds nothing to say about precis.el."
  (let ((result (precis-test--batch
                 '(require 'checkdoc)
                 '(defvar precis-test-said nil)
                 '(advice-add 'checkdoc-error :override
                              (lambda (point msg)
                                (push (format "%s: %s" point msg) precis-test-said)))
                 `(checkdoc-file ,precis-test-source)
                 '(progn (dolist (m (reverse precis-test-said)) (princ (concat m "\n")))
                         (kill-emacs (if precis-test-said 1 0))))))
    (should (equal result '(0 . "")))))

(defvar precis-test-package-lint-dir
  (car (file-expand-wildcards "/usr/share/emacs/site-lisp/elpa/package-lint-*"))
  "Where Debian's elpa-package-lint is installed, or nil.")

(ert-deftest precis-test-package-lint-clean ()
  "package-lint finds nothing to say about precis.el.
Only the URL header is excused: precis has no public home page to
name yet, and a made-up address would send users astray."
  (unless (or precis-test-package-lint-dir (locate-library "package-lint"))
    (ert-skip "package-lint is not installed (Debian: elpa-package-lint)"))
  (let ((result (precis-test--batch
                 `(when ,precis-test-package-lint-dir
                    (add-to-list 'load-path ,precis-test-package-lint-dir))
                 '(require 'package-lint)
                 `(with-current-buffer (find-file-noselect ,precis-test-source)
                    (let ((issues (cl-remove-if
                                   (lambda (i)
                                     (string-match-p "Homepage or URL header" (nth 3 i)))
                                   (package-lint-buffer))))
                      (dolist (i issues) (princ (format "%S\n" i)))
                      (kill-emacs (if issues 1 0)))))))
    (should (equal result '(0 . "")))))

(provide 'precis-tests)
;;; precis-tests.el ends here
