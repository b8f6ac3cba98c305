export { ChatPage, ChatContent, ChatWorkspace, Answer } from './ChatPage';
export { AskAboutEntityCard, askAboutLink } from './AskAboutEntityCard';
